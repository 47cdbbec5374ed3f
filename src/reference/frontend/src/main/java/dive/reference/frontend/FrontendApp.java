package dive.reference.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** DIVE V3 reference frontend: a landing page with a Keycloak login, and the callback that shows who logged in. */
public final class FrontendApp {
    private static final Logger LOG = LoggerFactory.getLogger("dive.frontend");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String code;
    private final String name;
    private final String issuer;
    private final String clientId;
    private final String clientSecret;
    private final String frontendUrl;
    private final String tokenUrl;
    private final String scope;
    private final DefaultJWTProcessor<SecurityContext> idTokens;
    private final Map<String, Instant> states = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

    FrontendApp(Map<String, String> env) throws Exception {
        code = get(env, "INSTANCE_CODE", "USA").toUpperCase(Locale.ROOT);
        name = get(env, "INSTANCE_NAME", code);
        issuer = get(env, "KEYCLOAK_ISSUER", null);
        clientId = get(env, "KEYCLOAK_CLIENT_ID", "dive-v3-broker-" + code.toLowerCase(Locale.ROOT));
        clientSecret = get(env, "KEYCLOAK_CLIENT_SECRET", null);
        frontendUrl = strip(get(env, "FRONTEND_URL", "http://localhost:" + get(env, "PORT", "3000")));
        tokenUrl = get(env, "KEYCLOAK_TOKEN_URL", issuer == null ? null : issuer + "/protocol/openid-connect/token");
        scope = get(env, "KEYCLOAK_SCOPE", "openid profile email");
        String jwks = get(env, "KEYCLOAK_JWKS_URL", issuer == null ? null : issuer + "/protocol/openid-connect/certs");
        if (issuer == null) {
            LOG.warn("KEYCLOAK_ISSUER not set - login is unavailable");
            idTokens = null;
        } else {
            idTokens = new DefaultJWTProcessor<>();
            idTokens.setJWSKeySelector(new JWSVerificationKeySelector<>(new HashSet<>(Set.of(JWSAlgorithm.RS256,
                    JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.ES256)),
                    JWKSourceBuilder.create(URI.create(jwks).toURL(),
                            new DefaultResourceRetriever(3000, 3000, 512 * 1024)).rateLimited(false).build()));
            idTokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(clientId,
                    new JWTClaimsSet.Builder().issuer(issuer).build(), new HashSet<>(Set.of("exp", "sub"))));
        }
        if (clientSecret == null) {
            LOG.warn("KEYCLOAK_CLIENT_SECRET not set - the code exchange will fail for a confidential client");
        }
        LOG.info("DIVE V3 reference frontend for {} ({}): issuer {}, client {}, token endpoint {}, jwks {}, url {}", name,
                code, issuer, clientId, tokenUrl, jwks, frontendUrl);
    }

    private static String get(Map<String, String> env, String k, String def) {
        String v = env.get(k);
        return v == null || v.isBlank() ? def : v.trim();
    }

    private static String strip(String u) {
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    static String esc(Object o) {
        if (o == null) {
            return "";
        }
        String s = o.toString();
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    String title() {
        return "DIVE V3 — " + name + " (" + code + ")";
    }

    String loginUrl(String state) {
        return issuer + "/protocol/openid-connect/auth?response_type=code&client_id=" + enc(clientId)
                + "&redirect_uri=" + enc(frontendUrl + "/callback") + "&scope=" + enc(scope) + "&state=" + enc(state);
    }

    private String page(String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title()) + "</title></head>"
                + "<body><h1>" + esc(title()) + "</h1>" + body + "</body></html>";
    }

    private void home(Context ctx) {
        if (issuer == null) {
            ctx.html(page("<p>Login unavailable: KEYCLOAK_ISSUER is not configured.</p>"));
            return;
        }
        byte[] r = new byte[18];
        RANDOM.nextBytes(r);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(r);
        Instant now = Instant.now();
        states.entrySet().removeIf(e -> e.getValue().isBefore(now.minusSeconds(600)));
        states.put(state, now);
        ctx.html(page("<p><a id=\"login\" href=\"" + esc(loginUrl(state)) + "\">Log in with Keycloak</a></p>"));
    }

    private static String first(Object v) {
        if (v instanceof Collection<?> c) {
            return c.isEmpty() ? null : String.valueOf(c.iterator().next());
        }
        return v == null ? null : v.toString();
    }

    private void callback(Context ctx) throws Exception {
        String error = ctx.queryParam("error");
        if (error != null) {
            ctx.status(400).html(page("<p id=\"error\">Login failed: " + esc(error) + " "
                    + esc(ctx.queryParam("error_description")) + "</p>"));
            return;
        }
        String codeParam = ctx.queryParam("code");
        String state = ctx.queryParam("state");
        if (codeParam == null || state == null || states.remove(state) == null) {
            ctx.status(400).html(page("<p id=\"error\">Invalid or expired login state.</p>"));
            return;
        }
        StringBuilder form = new StringBuilder("grant_type=authorization_code&code=").append(enc(codeParam))
                .append("&redirect_uri=").append(enc(frontendUrl + "/callback"))
                .append("&client_id=").append(enc(clientId));
        if (clientSecret != null) {
            form.append("&client_secret=").append(enc(clientSecret));
        }
        HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode tokens = JSON.readTree(resp.body());
        if (resp.statusCode() != 200 || tokens == null || !tokens.hasNonNull("id_token")) {
            String why = tokens != null && tokens.hasNonNull("error") ? tokens.get("error").asText() : "HTTP " + resp.statusCode();
            LOG.warn("Code exchange failed: {}", why);
            ctx.status(502).html(page("<p id=\"error\">Code exchange failed: " + esc(why) + "</p>"));
            return;
        }
        JWTClaimsSet claims;
        try {
            claims = idTokens.process(tokens.get("id_token").asText(), null);
        } catch (Exception e) {
            LOG.warn("ID token rejected: {}", e.getMessage());
            ctx.status(401).html(page("<p id=\"error\">ID token rejected: " + esc(e.getMessage()) + "</p>"));
            return;
        }
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("uniqueID", first(claims.getClaim("uniqueID")));
        shown.put("clearance", first(claims.getClaim("clearance")));
        shown.put("countryOfAffiliation", first(claims.getClaim("countryOfAffiliation")));
        shown.put("acpCOI", claims.getClaim("acpCOI") == null ? null : String.valueOf(claims.getClaim("acpCOI")));
        LOG.info("Login of {} ({})", shown.get("uniqueID"), shown.get("countryOfAffiliation"));
        StringBuilder dl = new StringBuilder("<dl id=\"user\">");
        shown.forEach((k, v) -> dl.append("<dt>").append(esc(k)).append("</dt><dd id=\"").append(esc(k)).append("\">")
                .append(esc(v)).append("</dd>"));
        dl.append("</dl>");
        ctx.html(page("<p>Logged in.</p>" + dl));
    }

    Javalin create() {
        Javalin app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        app.get("/", this::home);
        app.get("/api/health", ctx -> ctx.json(Map.of("status", "healthy", "service", "frontend", "instance", code,
                "timestamp", Instant.now().toString())));
        app.get("/callback", this::callback);
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("Error on {} {}: {}", ctx.method(), ctx.path(), e.toString());
            ctx.status(500).html(page("<p id=\"error\">Internal error.</p>"));
        });
        return app;
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        FrontendApp f = new FrontendApp(System.getenv());
        int port = Integer.parseInt(get(System.getenv(), "PORT", "3000"));
        Javalin app = f.create().start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
        LOG.info("Frontend listening on port {} after {} ms", port, Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }
}
