package dive.reference.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Asks OPA for {@code dive.authz}; an undefined result means no policy is loaded, which denies. */
public final class OpaClient {
    public static final String NO_POLICY = "no policy loaded";

    public record Decision(boolean allow, String reason, boolean policyLoaded) {}

    public record Health(String status, String detail, int policies) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    public OpaClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Throws when OPA cannot be asked at all (the caller fails closed). */
    public Decision decide(Map<String, Object> input) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/data/dive/authz"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(input)))
                .build();
        HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException("OPA answered HTTP " + resp.statusCode());
        }
        return interpret(JSON.readTree(resp.body()));
    }

    static Decision interpret(JsonNode body) {
        JsonNode result = body == null ? null : body.get("result");
        if (result == null || result.isNull() || !result.isObject()) {
            return new Decision(false, NO_POLICY, false);
        }
        JsonNode allow = result.get("allow");
        if (allow == null || !allow.isBoolean()) {
            return new Decision(false, NO_POLICY, false);
        }
        JsonNode reason = result.get("reason");
        String r;
        if (reason == null || reason.isNull()) {
            r = allow.asBoolean() ? "allowed" : "denied by policy";
        } else if (reason.isTextual()) {
            r = reason.asText();
        } else {
            r = reason.toString();
        }
        return new Decision(allow.asBoolean(), r, true);
    }

    public Health health() {
        try {
            HttpResponse<byte[]> h = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (h.statusCode() != 200) {
                return new Health("down", "GET /health answered HTTP " + h.statusCode(), -1);
            }
            int policies = -1;
            try {
                HttpResponse<byte[]> p = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/policies"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (p.statusCode() == 200) {
                    JsonNode r = JSON.readTree(p.body()).get("result");
                    policies = r != null && r.isArray() ? r.size() : 0;
                }
            } catch (Exception ignored) {
                // informational only
            }
            return new Health("up", "OPA healthy", policies);
        } catch (Exception e) {
            return new Health("down", e.getClass().getSimpleName() + ": " + e.getMessage(), -1);
        }
    }
}
