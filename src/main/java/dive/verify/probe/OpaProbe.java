package dive.verify.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.Map;

/**
 * Asks OPA for a decision. A decision path with no policy behind it answers
 * 200 with no result; that is reported as a failure ("no policy loaded"),
 * since an OPA without policy is healthy and useless.
 */
public final class OpaProbe {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpaProbe() {}

    public static Evidence decide(String opaBaseUrl, String packagePath, Map<String, Object> input) {
        String path = packagePath.replace('.', '/');
        String what = "OPA decision data." + packagePath + " at " + opaBaseUrl;
        try {
            Response r = RestAssured.given().contentType(ContentType.JSON).body(Map.of("input", input))
                    .post(opaBaseUrl + "/v1/data/" + path);
            if (r.statusCode() != 200) return Evidence.failed(what, "HTTP " + r.statusCode() + " " + r.asString());
            JsonNode body = JSON.readTree(r.asString());
            if (!body.has("result")) return Evidence.failed(what, "no result: no policy loaded at data." + packagePath);
            return Evidence.ok(what, "result " + body.get("result"));
        } catch (Exception e) {
            return Evidence.failed(what, Evidence.message(e));
        }
    }

    /** Loads a policy module through OPA's REST API. */
    public static Evidence putPolicy(String opaBaseUrl, String id, String rego) {
        String what = "OPA PUT /v1/policies/" + id;
        try {
            Response r = RestAssured.given().contentType(ContentType.TEXT).body(rego).put(opaBaseUrl + "/v1/policies/" + id);
            return r.statusCode() == 200 ? Evidence.ok(what, "HTTP 200") : Evidence.failed(what, "HTTP " + r.statusCode() + " " + r.asString());
        } catch (Exception e) {
            return Evidence.failed(what, Evidence.message(e));
        }
    }
}
