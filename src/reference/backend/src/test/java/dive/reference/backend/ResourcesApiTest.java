package dive.reference.backend;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The resource API in-process: in-memory MongoDB, a JWKS served by a local Javalin, a stub OPA that allows up to
 * CONFIDENTIAL (the reasons are the policy's texts).
 */
class ResourcesApiTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ISSUER = "http://localhost:8443/realms/dive-v3-broker-usa";
    static final String MASTER = "resources-api-test-master-key";
    static final String ALLOW = "all ACP-240 conditions met";
    static final Set<String> ALLOWED = Set.of("UNCLASSIFIED", "CONFIDENTIAL");

    static MongoServer mongo;
    static Javalin stubs;
    static BackendApp backend;
    static CapturingEvents ev;
    static RSAKey realmKey;
    static RSAKey otherKey;
    static String base;
    static final List<JsonNode> opaInputs = Collections.synchronizedList(new ArrayList<>());
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        realmKey = new RSAKeyGenerator(2048).keyID("realm-kid").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("realm-kid").generate();
        mongo = new MongoServer(new MemoryBackend());
        InetSocketAddress a = mongo.bind();
        stubs = Javalin.create(c -> c.showJavalinBanner = false);
        String jwks = new JWKSet(realmKey.toPublicJWK()).toString();
        stubs.get("/certs", ctx -> ctx.contentType("application/json").result(jwks));
        stubs.post("/v1/data/dive/authz", ctx -> {
            JsonNode in = JSON.readTree(ctx.body()).get("input");
            opaInputs.add(in);
            String cls = in.get("resource").get("classification").asText();
            ctx.json(Map.of("result", ALLOWED.contains(cls) ? Map.of("allow", true, "reason", ALLOW)
                    : Map.of("allow", false, "reason", "clearance CONFIDENTIAL is below classification " + cls)));
        });
        stubs.start(0);
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("INSTANCE_CODE", "USA");
        env.put("MONGODB_URL", "mongodb://127.0.0.1:" + a.getPort());
        env.put("MONGODB_DATABASE", "resources-api-test");
        env.put("OPA_URL", "http://127.0.0.1:" + stubs.port());
        env.put("KEYCLOAK_ISSUER", ISSUER);
        env.put("KEYCLOAK_JWKS_URL", "http://127.0.0.1:" + stubs.port() + "/certs");
        env.put("KAS_MASTER_KEY", MASTER);
        ev = new CapturingEvents();
        backend = new BackendApp(Config.from(env), ev);
        backend.start();
        backend.initMongo();
        base = "http://127.0.0.1:" + backend.port();
    }

    @AfterAll
    static void stop() {
        backend.stop();
        stubs.stop();
        mongo.shutdownNow();
        for (String line : ev.lines) {
            assertFalse(line.contains(MASTER), line);
        }
    }

    static String token(RSAKey key, Instant exp) throws Exception {
        return TokenVerifierTest.token(key, ISSUER, exp, Map.of("uniqueID", "testuser-usa-2", "clearance", "CONFIDENTIAL",
                "countryOfAffiliation", "USA", "acpCOI", List.of(), "organizationType", "MILITARY"));
    }

    HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listHoldsTheAllowedDocumentsAndTheDeniedWithReasons() throws Exception {
        HttpResponse<String> r = get("/api/resources", token(realmKey, Instant.now().plusSeconds(60)));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = JSON.readTree(r.body());
        List<String> allowed = new ArrayList<>();
        j.get("resources").forEach(d -> allowed.add(d.get("resourceId").asText()));
        assertEquals(List.of("doc-USA-001", "doc-USA-002", "doc-USA-005", "doc-USA-006"), allowed);
        assertEquals(4, j.get("count").asInt());
        assertEquals(8, j.get("total").asInt());
        assertEquals(List.of(
                        Map.of("resourceId", "doc-USA-003", "reason", "clearance CONFIDENTIAL is below classification SECRET"),
                        Map.of("resourceId", "doc-USA-004", "reason", "clearance CONFIDENTIAL is below classification TOP_SECRET"),
                        Map.of("resourceId", "doc-USA-007", "reason", "clearance CONFIDENTIAL is below classification SECRET"),
                        Map.of("resourceId", "doc-USA-008", "reason", "clearance CONFIDENTIAL is below classification TOP_SECRET")),
                JSON.convertValue(j.get("denied"), new TypeReference<List<Map<String, Object>>>() {}));
        assertTrue(j.hasNonNull("requestId"));
        JsonNode first = j.get("resources").get(0);
        for (String f : List.of("resourceId", "title", "classification", "releasabilityTo", "COI", "releasableToIndustry",
                "originInstance", "content", "createdAt", "ztdf")) {
            assertTrue(first.has(f), f + " in " + first);
        }
        assertFalse(first.has("_id"));
    }

    @Test
    void allowedResourceCarriesTheDecisionAndAPayloadTheDekOpens() throws Exception {
        HttpResponse<String> r = get("/api/resources/doc-USA-002", token(realmKey, Instant.now().plusSeconds(60)));
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> doc = JSON.readValue(r.body(), new TypeReference<Map<String, Object>>() {});
        assertEquals(Map.of("allow", true, "reason", ALLOW), doc.get("authzDecision"));
        assertEquals("CONFIDENTIAL", doc.get("classification"));
        assertEquals(true, doc.get("releasableToIndustry"));
        @SuppressWarnings("unchecked")
        Map<String, Object> ztdf = (Map<String, Object>) doc.get("ztdf");
        assertEquals("kao-doc-USA-002", ztdf.get("kaoId"));
        assertEquals("usa-kas", ztdf.get("kasId"));
        assertEquals("AES-256-GCM", ztdf.get("alg"));
        assertEquals("ZTDF payload of doc-USA-002: " + doc.get("title"),
                SampleResourcesTest.decrypt(ztdf, new KeyDerivation(MASTER).dek("doc-USA-002")));
    }

    @Test
    void deniedResourceIs403WithThePolicysReason() throws Exception {
        HttpResponse<String> r = get("/api/resources/doc-USA-003", token(realmKey, Instant.now().plusSeconds(60)));
        assertEquals(403, r.statusCode(), r.body());
        JsonNode j = JSON.readTree(r.body());
        assertEquals("Forbidden", j.get("error").asText());
        assertEquals("clearance CONFIDENTIAL is below classification SECRET", j.get("reason").asText());
        assertTrue(j.hasNonNull("requestId"));
        assertFalse(j.has("ztdf"));
        assertEquals(404, get("/api/resources/doc-USA-999", token(realmKey, Instant.now().plusSeconds(60))).statusCode());
    }

    @Test
    void opaInputCarriesOrganizationTypeAndReleasableToIndustry() throws Exception {
        opaInputs.clear();
        assertEquals(200, get("/api/resources/doc-USA-006", token(realmKey, Instant.now().plusSeconds(60))).statusCode());
        JsonNode in = opaInputs.get(0);
        assertEquals("MILITARY", in.get("subject").get("organizationType").asText());
        assertFalse(in.get("resource").get("releasableToIndustry").asBoolean());
        assertEquals("read", in.get("action").get("operation").asText());
    }

    @Test
    void forgedExpiredAndMissingTokensAre401NamingTheCause() throws Exception {
        HttpResponse<String> forged = get("/api/resources", token(otherKey, Instant.now().plusSeconds(60)));
        assertEquals(401, forged.statusCode());
        assertEquals("invalid token: Signed JWT rejected: Invalid signature",
                JSON.readTree(forged.body()).get("reason").asText());
        HttpResponse<String> expired = get("/api/resources/doc-USA-001", token(realmKey, Instant.now().minusSeconds(10)));
        assertEquals(401, expired.statusCode());
        assertEquals("invalid token: Expired JWT", JSON.readTree(expired.body()).get("reason").asText());
        HttpResponse<String> none = get("/api/resources", null);
        assertEquals(401, none.statusCode());
        assertEquals("missing bearer token", JSON.readTree(none.body()).get("reason").asText());
    }
}
