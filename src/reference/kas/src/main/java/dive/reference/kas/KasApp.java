package dive.reference.kas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * DIVE V3 reference Key Access Service (ACP-240): releases a resource's data encryption key only after the bearer
 * token is verified, the backend hands out the resource's metadata for that bearer, and OPA allows it.
 */
public final class KasApp {
    static final String VERSION = "1.0.0-acp240 (NATO ACP-240 reference KAS)";
    private static final Logger LOG = LoggerFactory.getLogger("dive.kas");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String kasId;
    private final String instance;
    private final String backendUrl;
    private final String opaUrl;
    private final JwtVerifier verifier;
    private final KeyDerivation keys;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

    KasApp(String kasId, String instance, String backendUrl, String opaUrl, JwtVerifier verifier, KeyDerivation keys) {
        this.kasId = kasId;
        this.instance = instance;
        this.backendUrl = trim(backendUrl);
        this.opaUrl = trim(opaUrl);
        this.verifier = verifier;
        this.keys = keys;
    }

    private static String trim(String u) {
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v.trim();
    }

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        String master = env("KAS_MASTER_KEY", null);
        if (master == null) {
            LOG.error("KAS_MASTER_KEY not set - the KAS cannot derive data encryption keys; refusing to start");
            System.exit(1);
            return;
        }
        String code = env("INSTANCE_CODE", "USA").toUpperCase(Locale.ROOT);
        String issuer = env("KEYCLOAK_ISSUER", null);
        String jwks = env("KEYCLOAK_JWKS_URL", issuer == null ? null : issuer + "/protocol/openid-connect/certs");
        int skew;
        try {
            skew = JwtVerifier.clockSkew(System.getenv("TOKEN_CLOCK_SKEW_SECONDS"));
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid configuration: {}", e.getMessage());
            System.exit(1);
            return;
        }
        JwtVerifier verifier = null;
        if (issuer == null) {
            LOG.warn("KEYCLOAK_ISSUER not set - every key request will be denied");
        } else {
            try {
                verifier = new JwtVerifier(issuer, jwks, skew);
            } catch (Exception e) {
                LOG.error("KEYCLOAK_JWKS_URL is invalid ({}) - every key request will be denied", e.getMessage());
            }
        }
        int port = Integer.parseInt(env("PORT", "8080"));
        KasApp kas = new KasApp(env("KAS_ID", code.toLowerCase(Locale.ROOT) + "-kas"), code,
                env("BACKEND_URL", "http://localhost:4000"), env("OPA_URL", "http://localhost:8181"), verifier,
                new KeyDerivation(master));
        LOG.info("Starting DIVE V3 reference KAS {} (instance {}, backend {}, opa {}, issuer {}, jwks {}, clock skew {} s)",
                kas.kasId, code, kas.backendUrl, kas.opaUrl, issuer, jwks, skew);
        Javalin app = kas.create().start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
        LOG.info("KAS listening on port {} after {} ms", port, Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }

    Javalin create() {
        Javalin app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        app.get("/health", ctx -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("status", "healthy");
            h.put("service", "kas");
            h.put("version", VERSION);
            h.put("kasId", kasId);
            h.put("instance", instance);
            h.put("timestamp", Instant.now().toString());
            ctx.json(h);
        });
        app.post("/request-key", this::requestKey);
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unhandled error on {} {}: {}", ctx.method(), ctx.path(), e.toString());
            ctx.status(500).json(answer(false, null, null, "internal error", null));
        });
        return app;
    }

    static Map<String, Object> answer(boolean success, String dek, String kaoId, String denialReason,
                                      Map<String, Object> decision) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", success);
        m.put("dek", dek);
        m.put("kaoId", kaoId);
        m.put("denialReason", denialReason);
        m.put("authzDecision", decision);
        return m;
    }

    private static Map<String, Object> decision(boolean allow, String reason, String source) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("allow", allow);
        d.put("reason", reason);
        d.put("source", source);
        return d;
    }

    private void deny(Context ctx, int status, String requestId, String resourceId, String kaoId, String subject,
                      String reason, Map<String, Object> decision) {
        LOG.info("KEY DENIED resource={} kao={} subject={} request={}: {}", resourceId, kaoId, subject, requestId, reason);
        ctx.status(status).json(answer(false, null, kaoId, reason, decision));
    }

    private void requestKey(Context ctx) throws Exception {
        String requestId = UUID.randomUUID().toString();
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            body = null;
        }
        String resourceId = text(body, "resourceId");
        String kaoId = text(body, "kaoId");
        String token = text(body, "bearerToken");
        if (token == null) {
            String h = ctx.header("Authorization");
            if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = h.substring(7).trim();
            }
        }
        if (resourceId == null || kaoId == null) {
            deny(ctx, 400, requestId, resourceId, kaoId, null, "resourceId and kaoId are required", null);
            return;
        }
        if (token == null || token.isEmpty()) {
            deny(ctx, 401, requestId, resourceId, kaoId, null, "missing bearer token", null);
            return;
        }
        JWTClaimsSet claims;
        try {
            if (verifier == null) {
                throw new IllegalStateException("token verification not configured (KEYCLOAK_ISSUER)");
            }
            claims = verifier.verify(token);
        } catch (Exception e) {
            deny(ctx, 401, requestId, resourceId, kaoId, null, "invalid token: " + e.getMessage(), null);
            return;
        }
        String subject = Attributes.uniqueId(claims);

        // 1. the resource's metadata, read from the backend with the caller's own bearer
        HttpResponse<byte[]> meta;
        try {
            meta = http.send(HttpRequest.newBuilder(URI.create(backendUrl + "/api/resources/"
                            + URLEncoder.encode(resourceId, StandardCharsets.UTF_8).replace("+", "%20")))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                    .header("X-Request-ID", requestId).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            deny(ctx, 503, requestId, resourceId, kaoId, subject, "backend unavailable: " + e.getMessage(), null);
            return;
        }
        if (meta.statusCode() != 200) {
            String reason = "backend answered HTTP " + meta.statusCode();
            try {
                JsonNode b = JSON.readTree(meta.body());
                if (b != null && b.hasNonNull("reason")) {
                    reason = b.get("reason").asText();
                }
            } catch (Exception ignored) {
                // keep the status line
            }
            int status = switch (meta.statusCode()) {
                case 401 -> 401;
                case 403 -> 403;
                case 404 -> 404;
                default -> 503;
            };
            deny(ctx, status, requestId, resourceId, kaoId, subject, reason,
                    meta.statusCode() == 403 ? decision(false, reason, "backend") : null);
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> resource = JSON.readValue(meta.body(), Map.class);

        // 2. ACP-240 re-evaluation by OPA before any key leaves the KAS
        boolean allow;
        String reason;
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(opaUrl + "/v1/data/dive/authz"))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(
                            Attributes.input(claims, resource, resourceId, "decrypt", requestId))))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("OPA answered HTTP " + r.statusCode());
            }
            JsonNode result = JSON.readTree(r.body()).get("result");
            if (result == null || !result.isObject() || !result.has("allow") || !result.get("allow").isBoolean()) {
                allow = false;
                reason = "no policy loaded";
            } else {
                allow = result.get("allow").asBoolean();
                JsonNode rs = result.get("reason");
                reason = rs == null || rs.isNull() ? (allow ? "allowed" : "denied by policy")
                        : rs.isTextual() ? rs.asText() : rs.toString();
            }
        } catch (Exception e) {
            deny(ctx, 503, requestId, resourceId, kaoId, subject, "authorization service unavailable: " + e.getMessage(),
                    decision(false, "OPA unavailable", "opa"));
            return;
        }
        if (!allow) {
            deny(ctx, 403, requestId, resourceId, kaoId, subject, reason, decision(false, reason, "opa"));
            return;
        }
        LOG.info("KEY RELEASED resource={} kao={} subject={} request={}", resourceId, kaoId, subject, requestId);
        ctx.json(answer(true, keys.dek(resourceId), kaoId, null, decision(true, reason, "opa")));
    }

    private static String text(JsonNode body, String field) {
        if (body == null || !body.hasNonNull(field)) {
            return null;
        }
        String s = body.get(field).asText();
        return s.isBlank() ? null : s;
    }
}
