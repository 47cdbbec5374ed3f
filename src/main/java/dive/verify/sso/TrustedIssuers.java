package dive.verify.sso;

import dive.verify.http.Http;

import com.fasterxml.jackson.databind.JsonNode;

import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

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
        StringBuilder seen = new StringBuilder();
        try {
            await().atMost(within).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500)).until(() -> {
                seen.setLength(0);
                boolean ok = true;
                for (Site s : f.all()) {
                    List<String> held = heldBy(s);
                    ok &= held != null && held.containsAll(all);
                    seen.append("\n  OPA of ").append(s.code()).append(": ").append(held == null ? "no trusted issuers" : held);
                }
                return ok;
            });
        } catch (ConditionTimeoutException late) {
            throw new IllegalStateException("the trusted issuers " + all + " did not reach every OPA within "
                    + within.toSeconds() + " s (published by the hub backend through OPAL):" + seen);
        }
    }
}
