package dive.verify.sso;

import dive.verify.http.Http;

import com.fasterxml.jackson.databind.JsonNode;

import dive.verify.poll.Poll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code data.federation.trusted_issuers} as each OPA holds it: what the policy trusts. */
public final class TrustedIssuers {
    private TrustedIssuers() {}

    /** The issuers an OPA holds, or null when it holds none (no data delivered). */
    public static List<String> heldBy(Site opaOf) {
        Http.Answer a = Http.get(opaOf.opaUrl() + "/v1/data/federation/trusted_issuers", null);
        JsonNode r = a.json() == null ? null : a.json().get("result");
        if (a.status() != 200 || r == null || !r.isArray()) return null;
        List<String> out = new ArrayList<>();
        r.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Waits until every OPA of the federation trusts every realm of it; fails naming what each holds. */
    public static void awaitEverywhere(Federation f, Duration within) {
        List<String> all = f.all().stream().map(Site::issuer).toList();
        var seen = Poll.until(within, Duration.ofMillis(500), () -> heldByEach(f),
                held -> held.values().stream().allMatch(h -> h != null && h.containsAll(all)));
        if (!seen.done()) {
            StringBuilder each = new StringBuilder();
            seen.last().forEach((code, held) -> each.append("\n  OPA of ").append(code).append(": ").append(held == null ? "no trusted issuers" : held));
            throw new IllegalStateException("the trusted issuers " + all + " did not reach every OPA within "
                    + within.toSeconds() + " s (published by the hub backend through OPAL):" + each);
        }
    }

    /** The trusted issuers each site's OPA holds, by instance code (null where it holds none). */
    private static Map<String, List<String>> heldByEach(Federation f) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Site s : f.all()) out.put(s.code(), heldBy(s));
        return out;
    }
}
