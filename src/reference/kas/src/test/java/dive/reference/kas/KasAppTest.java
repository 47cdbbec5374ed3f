package dive.reference.kas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** /request-key end to end in-process: local RSA keys, a stub backend and a stub OPA (Javalin on free ports). */
class KasAppTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ISSUER = "http://localhost:8453/realms/dive-v3-broker-fra";
    static final String MASTER = "kas-test-master-key";
    static final String DENIAL = "clearance CONFIDENTIAL is below classification SECRET";

    static RSAKey realmKey;
    static RSAKey otherKey;

    final HttpClient http = HttpClient.newHttpClient();
    final List<JsonNode> opaInputs = Collections.synchronizedList(new ArrayList<>());
    final List<String> backendAuth = Collections.synchronizedList(new ArrayList<>());
    volatile Map<String, Object> opaResult = Map.of("allow", true, "reason", "all ACP-240 conditions met");
    Javalin backend;
    Javalin opa;
    Javalin kas;
    String base;

    @BeforeAll
    static void keys() throws Exception {
        realmKey = new RSAKeyGenerator(2048).keyID("realm-key").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("realm-key").generate(); // same kid, another key: a forgery
    }

    static Map<String, Object> resource(String id, String classification) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("resourceId", id);
        r.put("title", "title of " + id);
        r.put("classification", classification);
        r.put("releasabilityTo", List.of("FRA", "USA"));
        r.put("COI", List.of());
        r.put("releasableToIndustry", false);
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(new KeyDerivation(MASTER).dek(id)), "AES"),
                new GCMParameterSpec(128, iv));
        byte[] ct = c.doFinal(("ZTDF payload of " + id + ": title of " + id).getBytes(StandardCharsets.UTF_8));
        r.put("ztdf", Map.of("kaoId", "kao-" + id, "kasId", "fra-kas", "alg", "AES-256-GCM",
                "iv", Base64.getEncoder().encodeToString(iv), "ciphertext", Base64.getEncoder().encodeToString(ct)));
        r.put("authzDecision", Map.of("allow", true, "reason", "all ACP-240 conditions met"));
        return r;
    }

    @BeforeEach
    void start() throws Exception {
        Map<String, Map<String, Object>> store = Map.of("doc-FRA-003", resource("doc-FRA-003", "SECRET"),
                "doc-FRA-002", resource("doc-FRA-002", "CONFIDENTIAL"));
        backend = Javalin.create(c -> c.showJavalinBanner = false);
        backend.get("/api/resources/{id}", ctx -> {
            backendAuth.add(ctx.header("Authorization"));
            String id = ctx.pathParam("id");
            if (id.equals("doc-FRA-005")) {
                ctx.status(403).json(Map.of("error", "Forbidden", "reason", "country USA is not in releasabilityTo [\"FRA\"]",
                        "requestId", "r"));
            } else if (store.containsKey(id)) {
                ctx.json(store.get(id));
            } else {
                ctx.status(404).json(Map.of("error", "Not Found", "reason", "resource not found"));
            }
        });
        backend.start(0);
        opa = Javalin.create(c -> c.showJavalinBanner = false);
        opa.post("/v1/data/dive/authz", ctx -> {
            opaInputs.add(JSON.readTree(ctx.body()).get("input"));
            ctx.json(Map.of("result", opaResult));
        });
        opa.start(0);
        JwtVerifier verifier = new JwtVerifier(ISSUER, new ImmutableJWKSet<>(new JWKSet(realmKey.toPublicJWK())), 2);
        kas = new KasApp("fra-kas", "FRA", "http://127.0.0.1:" + backend.port() + "/",
                "http://127.0.0.1:" + opa.port(), verifier, new KeyDerivation(MASTER)).create().start(0);
        base = "http://127.0.0.1:" + kas.port();
    }

    @AfterEach
    void stop() {
        kas.stop();
        backend.stop();
        opa.stop();
    }

    static String token(RSAKey key, Instant exp, Map<String, Object> extra) throws Exception {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(ISSUER).subject("s-1")
                .expirationTime(Date.from(exp)).issueTime(new Date())
                .claim("uniqueID", "testuser-fra-3").claim("clearance", "SECRET DÉFENSE")
                .claim("countryOfAffiliation", "FRA").claim("acpCOI", List.of("NATO"));
        extra.forEach(b::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), b.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    static String token() throws Exception {
        return token(realmKey, Instant.now().plusSeconds(300), Map.of("organizationType", "GOVERNMENT"));
    }

    HttpResponse<String> requestKey(String resourceId, String bearer) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resourceId", resourceId);
        body.put("kaoId", "kao-" + resourceId);
        body.put("bearerToken", bearer);
        return http.send(HttpRequest.newBuilder(URI.create(base + "/request-key")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void releasedDekDecryptsTheBackendsZtdfPayload() throws Exception {
        String t = token();
        HttpResponse<String> r = requestKey("doc-FRA-003", t);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode a = JSON.readTree(r.body());
        assertTrue(a.get("success").asBoolean());
        assertEquals("kao-doc-FRA-003", a.get("kaoId").asText());
        assertTrue(a.get("denialReason").isNull());
        assertTrue(a.get("authzDecision").get("allow").asBoolean());
        assertEquals(new KeyDerivation(MASTER).dek("doc-FRA-003"), a.get("dek").asText());

        @SuppressWarnings("unchecked")
        Map<String, String> ztdf = (Map<String, String>) resource("doc-FRA-003", "SECRET").get("ztdf");
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(a.get("dek").asText()), "AES"),
                new GCMParameterSpec(128, Base64.getDecoder().decode(ztdf.get("iv"))));
        assertEquals("ZTDF payload of doc-FRA-003: title of doc-FRA-003",
                new String(c.doFinal(Base64.getDecoder().decode(ztdf.get("ciphertext"))), StandardCharsets.UTF_8));

        assertEquals(List.of("Bearer " + t), backendAuth);
        assertEquals(1, opaInputs.size());
        JsonNode in = opaInputs.get(0);
        assertEquals("decrypt", in.get("action").get("operation").asText());
        assertEquals("GOVERNMENT", in.get("subject").get("organizationType").asText());
        assertEquals("SECRET", in.get("subject").get("clearance").asText());
        assertEquals(ISSUER, in.get("subject").get("issuer").asText());
        assertFalse(in.get("resource").get("releasableToIndustry").asBoolean());
        assertEquals("doc-FRA-003", in.get("resource").get("resourceId").asText());
    }

    @Test
    void policyDenialIs403WithThePolicysReasonAndNoKey() throws Exception {
        opaResult = Map.of("allow", false, "reason", DENIAL);
        HttpResponse<String> r = requestKey("doc-FRA-003", token());
        assertEquals(403, r.statusCode(), r.body());
        JsonNode a = JSON.readTree(r.body());
        assertFalse(a.get("success").asBoolean());
        assertTrue(a.get("dek").isNull());
        assertEquals(DENIAL, a.get("denialReason").asText());
        assertFalse(a.get("authzDecision").get("allow").asBoolean());
        assertEquals(DENIAL, a.get("authzDecision").get("reason").asText());
    }

    @Test
    void backendDenialIsPassedOnAs403WithItsReason() throws Exception {
        HttpResponse<String> r = requestKey("doc-FRA-005", token());
        assertEquals(403, r.statusCode(), r.body());
        JsonNode a = JSON.readTree(r.body());
        assertFalse(a.get("success").asBoolean());
        assertTrue(a.get("dek").isNull());
        assertEquals("country USA is not in releasabilityTo [\"FRA\"]", a.get("denialReason").asText());
        assertTrue(opaInputs.isEmpty());
    }

    @Test
    void industryOrganizationTypeReachesOpaAndAbsentIsOmitted() throws Exception {
        requestKey("doc-FRA-002", token(realmKey, Instant.now().plusSeconds(300), Map.of("organizationType", "INDUSTRY")));
        requestKey("doc-FRA-002", token(realmKey, Instant.now().plusSeconds(300), Map.of()));
        assertEquals(2, opaInputs.size());
        assertEquals("INDUSTRY", opaInputs.get(0).get("subject").get("organizationType").asText());
        assertFalse(opaInputs.get(1).get("subject").has("organizationType"));
    }

    @Test
    void forgedAndExpiredTokensAre401NamingTheCause() throws Exception {
        HttpResponse<String> forged = requestKey("doc-FRA-003",
                token(otherKey, Instant.now().plusSeconds(300), Map.of()));
        assertEquals(401, forged.statusCode(), forged.body());
        assertEquals("invalid token: Signed JWT rejected: Invalid signature",
                JSON.readTree(forged.body()).get("denialReason").asText());

        HttpResponse<String> expired = requestKey("doc-FRA-003",
                token(realmKey, Instant.now().minusSeconds(10), Map.of()));
        assertEquals(401, expired.statusCode(), expired.body());
        assertEquals("invalid token: Expired JWT", JSON.readTree(expired.body()).get("denialReason").asText());
        assertTrue(backendAuth.isEmpty());
        assertTrue(opaInputs.isEmpty());
    }

    @Test
    void clockSkewIsConfigurableAndSmallByDefault() throws Exception {
        String tenSecondsAgo = token(realmKey, Instant.now().minusSeconds(10), Map.of());
        ImmutableJWKSet<com.nimbusds.jose.proc.SecurityContext> keys =
                new ImmutableJWKSet<>(new JWKSet(realmKey.toPublicJWK()));
        Exception e = assertThrows(Exception.class,
                () -> new JwtVerifier(ISSUER, keys, JwtVerifier.clockSkew(null)).verify(tenSecondsAgo));
        assertEquals("Expired JWT", e.getMessage());
        assertEquals("testuser-fra-3", new JwtVerifier(ISSUER, keys, 60).verify(tenSecondsAgo).getClaim("uniqueID"));
        assertEquals(2, JwtVerifier.clockSkew(""));
        assertEquals(5, JwtVerifier.clockSkew(" 5 "));
        assertThrows(IllegalArgumentException.class, () -> JwtVerifier.clockSkew("-1"));
        assertThrows(IllegalArgumentException.class, () -> JwtVerifier.clockSkew("two"));
        Exception wrongIssuer = assertThrows(Exception.class,
                () -> new JwtVerifier("http://other/realms/x", keys, 2).verify(token()));
        assertTrue(wrongIssuer.getMessage().contains("iss"), wrongIssuer.getMessage());
    }
}
