package dive.reference.frontend;

import com.fasterxml.jackson.core.type.TypeReference;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DIVE V3 reference frontend: a landing page with a "Sign in" link to the realm (authorization code, state, nonce,
 * PKCE), and the callback that shows who signed in and the resources the backend allows them.
 */
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
    private final String backendUrl;
    private final DefaultJWTProcessor<SecurityContext> idTokens;
    /** One pending login per state: its nonce and PKCE verifier; one use, 10 minutes. */
    private final Map<String, PendingLogin> logins = new ConcurrentHashMap<>();

    record PendingLogin(String nonce, String codeVerifier, Instant created) {}
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
        backendUrl = strip(get(env, "BACKEND_URL", "http://localhost:4000"));
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
        LOG.info("DIVE V3 reference frontend for {} ({}): issuer {}, client {}, token endpoint {}, jwks {}, url {}, backend {}",
                name, code, issuer, clientId, tokenUrl, jwks, frontendUrl, backendUrl);
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

    /** The realm's authorization endpoint (browser-facing issuer) with state, nonce and a PKCE S256 challenge. */
    String loginUrl(String state, String nonce, String codeChallenge) {
        return issuer + "/protocol/openid-connect/auth?response_type=code&client_id=" + enc(clientId)
                + "&redirect_uri=" + enc(frontendUrl + "/callback") + "&scope=" + enc(scope) + "&state=" + enc(state)
                + "&nonce=" + enc(nonce) + "&code_challenge=" + enc(codeChallenge) + "&code_challenge_method=S256";
    }

    static String random() {
        byte[] r = new byte[32];
        RANDOM.nextBytes(r);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(r);
    }

    /** PKCE S256: base64url(SHA-256(verifier)). */
    static String challenge(String codeVerifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(codeVerifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
        String state = random();
        PendingLogin login = new PendingLogin(random(), random(), Instant.now());
        logins.entrySet().removeIf(e -> e.getValue().created().isBefore(login.created().minusSeconds(600)));
        logins.put(state, login);
        ctx.html(page("<p><a id=\"sign-in\" href=\"" + esc(loginUrl(state, login.nonce(), challenge(login.codeVerifier())))
                + "\">Sign in</a></p>"));
    }

    private static String first(Object v) {
        if (v instanceof Collection<?> c) {
            return c.isEmpty() || c.iterator().next() == null ? null : String.valueOf(c.iterator().next());
        }
        return v == null ? null : v.toString();
    }

    /** acpCOI as a list, a JSON string ("[\"NATO\",\"FVEY\"]"), a list of JSON strings, or one plain value. */
    static List<String> coi(Object v) {
        Set<String> out = new LinkedHashSet<>();
        addCoi(v, out);
        return new ArrayList<>(out);
    }

    private static void addCoi(Object v, Set<String> out) {
        if (v instanceof Collection<?> col) {
            col.forEach(o -> addCoi(o, out));
            return;
        }
        if (v == null || v.toString().isBlank()) {
            return;
        }
        String s = v.toString().trim();
        if (s.startsWith("[")) {
            try {
                addCoi(JSON.readValue(s, new TypeReference<List<Object>>() {}), out);
                return;
            } catch (Exception ignored) {
                // keep it as one value
            }
        }
        out.add(s);
    }

    /**
     * The signed-in page's body: the user's attributes from the ID token ({@code unique-id}, {@code country},
     * {@code clearance}, {@code coi}, {@code organization-type}), then either the resources the backend allows
     * ({@code resource-count}, {@code <ul id="resources">} with one {@code <li data-resource-id>} each) or
     * {@code <p id="error">} with the backend's reason. Everything is HTML-escaped.
     */
    static String sessionBody(Map<String, Object> claims, JsonNode resources, String error) {
        StringBuilder b = new StringBuilder("<p>Signed in.</p><dl id=\"user\">");
        item(b, "uniqueID", "unique-id", first(claims.get("uniqueID")));
        item(b, "countryOfAffiliation", "country", first(claims.get("countryOfAffiliation")));
        item(b, "clearance", "clearance", first(claims.get("clearance")));
        item(b, "acpCOI", "coi", String.join(",", coi(claims.get("acpCOI"))));
        item(b, "organizationType", "organization-type", first(claims.get("organizationType")));
        b.append("</dl><h2>Resources</h2>");
        if (error != null) {
            b.append("<p id=\"error\">Resources unavailable: ").append(esc(error)).append("</p>");
            return b.toString();
        }
        JsonNode list = resources == null ? null : resources.get("resources");
        int n = list != null && list.isArray() ? list.size() : 0;
        b.append("<p id=\"resource-count\">").append(n).append("</p><ul id=\"resources\">");
        for (int i = 0; i < n; i++) {
            JsonNode r = list.get(i);
            String id = r.path("resourceId").asText("");
            b.append("<li data-resource-id=\"").append(esc(id)).append("\">").append(esc(id)).append(" — ")
                    .append(esc(r.path("title").asText(""))).append("</li>");
        }
        return b.append("</ul>").toString();
    }

    private static void item(StringBuilder b, String label, String id, String value) {
        b.append("<dt>").append(esc(label)).append("</dt><dd id=\"").append(esc(id)).append("\">")
                .append(esc(value)).append("</dd>");
    }

    /** The backend's resource list for this access token, or the reason it could not be had (never the token). */
    record Resources(JsonNode body, String error) {}

    Resources fetchResources(String accessToken) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(backendUrl + "/api/resources"))
                    .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + accessToken)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = null;
            try {
                body = JSON.readTree(r.body());
            } catch (Exception ignored) {
                // reported below by status
            }
            if (r.statusCode() != 200) {
                String reason = body != null && body.hasNonNull("reason") ? body.get("reason").asText()
                        : body != null && body.hasNonNull("error") ? body.get("error").asText() : null;
                return new Resources(null, "backend answered HTTP " + r.statusCode() + (reason == null ? "" : ": " + reason));
            }
            if (body == null || !body.path("resources").isArray()) {
                return new Resources(null, "backend answered without a resource list");
            }
            return new Resources(body, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Resources(null, "backend call interrupted");
        } catch (Exception e) {
            return new Resources(null, "backend unreachable at " + backendUrl + ": " + e.getClass().getSimpleName());
        }
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
        PendingLogin login = state == null ? null : logins.remove(state);
        if (codeParam == null || login == null || login.created().isBefore(Instant.now().minusSeconds(600))) {
            ctx.status(400).html(page("<p id=\"error\">Invalid or expired login state.</p>"));
            return;
        }
        StringBuilder form = new StringBuilder("grant_type=authorization_code&code=").append(enc(codeParam))
                .append("&redirect_uri=").append(enc(frontendUrl + "/callback"))
                .append("&client_id=").append(enc(clientId))
                .append("&code_verifier=").append(enc(login.codeVerifier()));
        if (clientSecret != null) {
            form.append("&client_secret=").append(enc(clientSecret));
        }
        HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode tokens = null;
        try {
            tokens = JSON.readTree(resp.body());
        } catch (Exception ignored) {
            // reported below
        }
        if (resp.statusCode() != 200 || tokens == null || !tokens.hasNonNull("id_token")
                || !tokens.hasNonNull("access_token")) {
            String why = tokens != null && tokens.hasNonNull("error") ? tokens.get("error").asText() : "HTTP " + resp.statusCode();
            LOG.warn("Code exchange failed: {}", why);
            ctx.status(502).html(page("<p id=\"error\">Code exchange failed: " + esc(why) + "</p>"));
            return;
        }
        JWTClaimsSet claims;
        try {
            claims = idTokens.process(tokens.get("id_token").asText(), null);
            if (!login.nonce().equals(claims.getStringClaim("nonce"))) {
                throw new IllegalStateException("nonce mismatch");
            }
        } catch (Exception e) {
            LOG.warn("ID token rejected: {}", e.getMessage());
            ctx.status(401).html(page("<p id=\"error\">ID token rejected: " + esc(e.getMessage()) + "</p>"));
            return;
        }
        Map<String, Object> c = claims.getClaims();
        Resources resources = fetchResources(tokens.get("access_token").asText());
        if (resources.error() != null) {
            LOG.warn("Resource list for {} failed: {}", first(c.get("uniqueID")), resources.error());
        } else {
            LOG.info("Login of {} ({}): {} resource(s)", first(c.get("uniqueID")), first(c.get("countryOfAffiliation")),
                    resources.body().get("resources").size());
        }
        ctx.status(resources.error() == null ? 200 : 502).html(page(sessionBody(c, resources.body(), resources.error())));
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
