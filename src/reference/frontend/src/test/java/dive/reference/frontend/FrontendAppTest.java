package dive.reference.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.javalin.Javalin;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class FrontendAppTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ISSUER = "http://localhost:8453/realms/dive-v3-broker-fra";

    static FrontendApp app(Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("INSTANCE_CODE", "fra", "INSTANCE_NAME", "France Defence",
                "KEYCLOAK_ISSUER", ISSUER, "FRONTEND_URL", "http://localhost:3010/"));
        env.putAll(extra);
        return new FrontendApp(env);
    }

    @Test
    void titleAndLoginUrl() throws Exception {
        FrontendApp f = app(Map.of());
        assertEquals("DIVE V3 — France Defence (FRA)", f.title());
        assertEquals(ISSUER + "/protocol/openid-connect/auth?response_type=code"
                + "&client_id=dive-v3-broker-fra&redirect_uri=http%3A%2F%2Flocalhost%3A3010%2Fcallback"
                + "&scope=openid+profile+email&state=s1&nonce=n1&code_challenge=c1&code_challenge_method=S256",
                f.loginUrl("s1", "n1", "c1"));
        // RFC 7636 appendix B
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                FrontendApp.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    @Test
    void escaping() {
        assertEquals("&lt;b&gt; &amp; &quot;x&quot; &#39;", FrontendApp.esc("<b> & \"x\" '"));
        assertEquals("", FrontendApp.esc(null));
    }

    static JsonNode resources(String... idTitle) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < idTitle.length; i += 2) {
            list.add(Map.of("resourceId", idTitle[i], "title", idTitle[i + 1], "classification", "SECRET"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resources", list);
        body.put("count", list.size());
        body.put("total", 8);
        body.put("denied", List.of(Map.of("resourceId", "doc-FRA-004", "reason", "no")));
        return JSON.valueToTree(body);
    }

    @Test
    void sessionPageShowsAttributesAndAllowedResources() {
        Map<String, Object> claims = Map.of("uniqueID", "testuser-fra-5", "countryOfAffiliation", "FRA",
                "clearance", "SECRET DÉFENSE", "acpCOI", "[\"NATO\",\"FVEY\"]", "organizationType", "MILITARY");
        Element body = Jsoup.parseBodyFragment(FrontendApp.sessionBody(claims,
                resources("doc-FRA-001", "FRA unclassified exercise schedule", "doc-FRA-003", "FRA NATO secret operations brief"),
                null)).body();
        assertEquals("testuser-fra-5", body.getElementById("unique-id").text());
        assertEquals("FRA", body.getElementById("country").text());
        assertEquals("SECRET DÉFENSE", body.getElementById("clearance").text());
        assertEquals("NATO,FVEY", body.getElementById("coi").text());
        assertEquals("MILITARY", body.getElementById("organization-type").text());
        assertEquals("2", body.getElementById("resource-count").text());
        Element ul = body.getElementById("resources");
        assertEquals("ul", ul.tagName());
        Elements items = ul.select("> li");
        assertEquals(List.of("doc-FRA-001", "doc-FRA-003"), items.eachAttr("data-resource-id"));
        assertEquals("doc-FRA-001 — FRA unclassified exercise schedule", items.get(0).text());
        assertNull(body.getElementById("error"));
    }

    @Test
    void absentAttributesAreEmptyAndAnEmptyListIsZero() {
        Element body = Jsoup.parseBodyFragment(FrontendApp.sessionBody(Map.of("uniqueID", "u", "acpCOI", List.of()),
                resources(), null)).body();
        assertEquals("", body.getElementById("organization-type").text());
        assertEquals("", body.getElementById("coi").text());
        assertEquals("0", body.getElementById("resource-count").text());
        assertTrue(body.getElementById("resources").children().isEmpty());
        assertEquals("NATO", Jsoup.parseBodyFragment(FrontendApp.sessionBody(Map.of("acpCOI", List.of("NATO")),
                resources(), null)).body().getElementById("coi").text());
    }

    @Test
    void everythingIsEscaped() {
        String evil = "<script>alert(1)</script>\"'&";
        String html = FrontendApp.sessionBody(Map.of("uniqueID", evil, "countryOfAffiliation", evil, "clearance", evil,
                "acpCOI", List.of(evil), "organizationType", evil), resources("doc-\"><b>x", evil), null);
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<b>"), html);
        Element body = Jsoup.parseBodyFragment(html).body();
        assertTrue(body.select("script, b").isEmpty());
        for (String id : List.of("unique-id", "country", "clearance", "coi", "organization-type")) {
            assertEquals(evil, body.getElementById(id).text(), id);
        }
        Element li = body.getElementById("resources").child(0);
        assertEquals("doc-\"><b>x", li.attr("data-resource-id"));
        assertEquals("doc-\"><b>x — " + evil, li.text());
    }

    @Test
    void backendFailureShowsTheReasonInsteadOfTheList() {
        Element body = Jsoup.parseBodyFragment(FrontendApp.sessionBody(Map.of("uniqueID", "u"), null,
                "backend answered HTTP 401: invalid token: Expired JWT")).body();
        assertEquals("Resources unavailable: backend answered HTTP 401: invalid token: Expired JWT",
                body.getElementById("error").text());
        assertNull(body.getElementById("resources"));
        assertNull(body.getElementById("resource-count"));
        assertEquals("u", body.getElementById("unique-id").text());
    }

    // ---------------------------------------------------------------- the whole login against stubs

    @Test
    void signInCallbackExchangesTheCodeVerifiesTheIdTokenAndListsResources() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        List<Map<String, String>> exchanges = Collections.synchronizedList(new ArrayList<>());
        List<String> backendAuth = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> nonces = Collections.synchronizedMap(new HashMap<>());
        String accessToken = "access-token-value";
        Javalin stub = Javalin.create(c -> c.showJavalinBanner = false);
        stub.get("/certs", ctx -> ctx.contentType("application/json").result(new JWKSet(key.toPublicJWK()).toString()));
        stub.post("/token", ctx -> {
            exchanges.add(Map.of("code", ctx.formParam("code"), "code_verifier", ctx.formParam("code_verifier"),
                    "client_secret", String.valueOf(ctx.formParam("client_secret"))));
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("s").audience("dive-v3-broker-fra")
                    .expirationTime(Date.from(Instant.now().plusSeconds(300))).claim("nonce", nonces.get(ctx.formParam("code")))
                    .claim("uniqueID", "testuser-usa-3").claim("countryOfAffiliation", "USA").claim("clearance", "SECRET")
                    .claim("acpCOI", List.of("NATO")).build();
            SignedJWT id = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
            id.sign(new RSASSASigner(key));
            ctx.json(Map.of("access_token", accessToken, "id_token", id.serialize(), "token_type", "Bearer"));
        });
        stub.get("/api/resources", ctx -> {
            backendAuth.add(ctx.header("Authorization"));
            ctx.json(resources("doc-FRA-001", "one", "doc-FRA-002", "two"));
        });
        stub.start(0);
        String stubUrl = "http://127.0.0.1:" + stub.port();
        Javalin web = null;
        try {
            FrontendApp f = app(Map.of("KEYCLOAK_TOKEN_URL", stubUrl + "/token", "KEYCLOAK_JWKS_URL", stubUrl + "/certs",
                    "BACKEND_URL", stubUrl + "/", "KEYCLOAK_CLIENT_SECRET", "client-secret-value"));
            web = f.create().start(0);
            String base = "http://127.0.0.1:" + web.port();
            HttpClient http = HttpClient.newHttpClient();
            String home = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Element link = Jsoup.parse(home).getElementById("sign-in");
            assertEquals("Sign in", link.text());
            String href = link.attr("href");
            assertTrue(href.startsWith(ISSUER + "/protocol/openid-connect/auth?"), href);
            Map<String, String> q = query(URI.create(href).getRawQuery());
            assertEquals("S256", q.get("code_challenge_method"));
            assertNotNull(q.get("nonce"));
            nonces.put("code-1", q.get("nonce"));

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/callback?code=code-1&state="
                    + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            Element body = Jsoup.parse(page.body()).body();
            assertEquals("testuser-usa-3", body.getElementById("unique-id").text());
            assertEquals("USA", body.getElementById("country").text());
            assertEquals("NATO", body.getElementById("coi").text());
            assertEquals("2", body.getElementById("resource-count").text());
            assertEquals(List.of("doc-FRA-001", "doc-FRA-002"),
                    body.getElementById("resources").select("> li").eachAttr("data-resource-id"));
            assertFalse(page.body().contains(accessToken));
            assertEquals(List.of("Bearer " + accessToken), backendAuth);
            assertEquals(1, exchanges.size());
            assertEquals(q.get("code_challenge"), FrontendApp.challenge(exchanges.get(0).get("code_verifier")));
            assertEquals("client-secret-value", exchanges.get(0).get("client_secret"));

            // the state is single-use
            HttpResponse<String> replay = http.send(HttpRequest.newBuilder(URI.create(base + "/callback?code=code-1&state="
                    + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, replay.statusCode());
            assertNotNull(Jsoup.parse(replay.body()).getElementById("error"));

            // a nonce that does not match is refused
            String href2 = Jsoup.parse(http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getElementById("sign-in").attr("href");
            nonces.put("code-2", "another-nonce");
            HttpResponse<String> wrongNonce = http.send(HttpRequest.newBuilder(URI.create(base + "/callback?code=code-2&state="
                    + URLEncoder.encode(query(URI.create(href2).getRawQuery()).get("state"), StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrongNonce.statusCode());
            assertEquals("ID token rejected: nonce mismatch", Jsoup.parse(wrongNonce.body()).getElementById("error").text());
        } finally {
            if (web != null) {
                web.stop();
            }
            stub.stop();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        for (String p : raw.split("&")) {
            int i = p.indexOf('=');
            out.put(java.net.URLDecoder.decode(p.substring(0, i), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(p.substring(i + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
