package dive.verify.probe;

import dive.verify.http.Http;

import java.util.Map;

/**
 * Asks OPA for a decision. A decision path with no policy behind it answers
 * 200 with no result; that is reported as a failure ("no policy loaded"),
 * since an OPA without policy is healthy and useless.
 */
public final class OpaProbe {
    private OpaProbe() {}

    public static Evidence decide(String opaBaseUrl, String packagePath, Map<String, Object> input) {
        String path = packagePath.replace('.', '/');
        String what = "OPA decision data." + packagePath + " at " + opaBaseUrl;
        Http.Answer r = Http.postJson(opaBaseUrl + "/v1/data/" + path, Map.of("input", input), null);
        if (!r.answered()) return Evidence.failed(what, r.body());
        if (r.status() != 200) return Evidence.failed(what, "HTTP " + r.status() + " " + r.body());
        if (r.json() == null) return Evidence.failed(what, "HTTP 200, not JSON: " + r.describe());
        if (!r.json().has("result")) return Evidence.failed(what, "no result: no policy loaded at data." + packagePath);
        return Evidence.ok(what, "result " + r.json().get("result"));
    }

    /** Loads a policy module through OPA's REST API. */
    public static Evidence putPolicy(String opaBaseUrl, String id, String rego) {
        String what = "OPA PUT /v1/policies/" + id;
        Http.Answer r = Http.call("PUT", opaBaseUrl + "/v1/policies/" + id).text(rego).send();
        if (!r.answered()) return Evidence.failed(what, r.body());
        return r.status() == 200 ? Evidence.ok(what, "HTTP 200") : Evidence.failed(what, "HTTP " + r.status() + " " + r.body());
    }
}
