package dive.reference.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.javalin.Javalin;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The hub's federation API against an in-memory MongoDB, a fake Keycloak Admin API and a fake OPAL server. */
class FederationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_TOKEN = "fed-admin-token-value";
    static final String KC_PASSWORD = "kc-admin-password-value";
    static final String OPAL_MASTER = "opal-master-token-value";
    static final String CLIENT_SECRET = "fra-client-secret-value";
    static final AtomicInteger DB_SEQ = new AtomicInteger();

    static MongoServer mongoServer;
    static String mongoUrl;

    final HttpClient http = HttpClient.newHttpClient();
    final List<String> kcCalls = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> kcBodies = Collections.synchronizedList(new ArrayList<>());
    final Map<String, List<String>> kcMappers = Collections.synchronizedMap(new HashMap<>());
    volatile int failMapperWith = 0;
    volatile int opalStatus = 200;
    final List<String> opalAuth = Collections.synchronizedList(new ArrayList<>());
    static final String HUB_ISSUER = "http://localhost:8443/realms/dive-v3-broker-usa";
    static final String FRA_ISSUER = "http://localhost:8453/realms/dive-v3-broker-fra";
    /** Datasource token requests: whether they carried the master token. */
    final List<Boolean> datasourceAuthOk = Collections.synchronizedList(new ArrayList<>());
    /** Bodies of PUT /v1/data/federation/trusted_issuers at the fake OPA. */
    final List<JsonNode> opaPuts = Collections.synchronizedList(new ArrayList<>());
    /** Bodies of POST /data/config at the fake OPAL server, and whether they carried the datasource token. */
    final List<JsonNode> opalUpdates = Collections.synchronizedList(new ArrayList<>());
    final List<Boolean> opalUpdateAuthOk = Collections.synchronizedList(new ArrayList<>());
    volatile int dataConfigStatus = 200;

    Javalin keycloak;
    Javalin opal;
    BackendApp backend;
    CapturingEvents ev;
    String base;

    @BeforeAll
    static void mongo() {
        mongoServer = new MongoServer(new MemoryBackend());
        InetSocketAddress a = mongoServer.bind();
        mongoUrl = "mongodb://127.0.0.1:" + a.getPort();
    }

    @AfterAll
    static void stopMongo() {
        mongoServer.shutdownNow();
    }

    @BeforeEach
    void fakes() {
        keycloak = Javalin.create(c -> c.showJavalinBanner = false);
        keycloak.post("/realms/master/protocol/openid-connect/token", ctx -> {
            kcCalls.add("POST /realms/master/protocol/openid-connect/token");
            boolean ok = ("password".equals(ctx.formParam("grant_type")) && "admin-cli".equals(ctx.formParam("client_id"))
                    && "admin".equals(ctx.formParam("username")) && KC_PASSWORD.equals(ctx.formParam("password")));
            if (ok) {
                ctx.json(Map.of("access_token", "kc-access-token", "expires_in", 60));
            } else {
                ctx.status(401).json(Map.of("error", "invalid_grant"));
            }
        });
        keycloak.before("/admin/*", ctx -> {
            if (!"Bearer kc-access-token".equals(ctx.header("Authorization"))) {
                ctx.status(401).json(Map.of("error", "HTTP 401 Unauthorized"));
                ctx.skipRemainingHandlers();
            }
        });
        keycloak.post("/admin/realms/{realm}/identity-provider/instances", ctx -> {
            kcCalls.add("POST " + ctx.path());
            JsonNode b = JSON.readTree(ctx.body());
            kcBodies.add(b);
            String alias = b.get("alias").asText();
            if (kcMappers.containsKey(alias)) {
                ctx.status(409).json(Map.of("errorMessage", "Identity Provider " + alias + " already exists"));
                return;
            }
            kcMappers.put(alias, new ArrayList<>());
            ctx.status(201);
        });
        keycloak.post("/admin/realms/{realm}/identity-provider/instances/{alias}/mappers", ctx -> {
            kcCalls.add("POST " + ctx.path());
            JsonNode b = JSON.readTree(ctx.body());
            kcBodies.add(b);
            if (failMapperWith != 0) {
                ctx.status(failMapperWith).json(Map.of("errorMessage", "mapper refused"));
                return;
            }
            kcMappers.get(ctx.pathParam("alias")).add(b.get("name").asText());
            ctx.status(201);
        });
        keycloak.put("/admin/realms/{realm}/identity-provider/instances/{alias}", ctx -> {
            kcCalls.add("PUT " + ctx.path());
            kcBodies.add(JSON.readTree(ctx.body()));
            ctx.status(kcMappers.containsKey(ctx.pathParam("alias")) ? 204 : 404);
        });
        keycloak.get("/admin/realms/{realm}/identity-provider/instances/{alias}/mappers", ctx -> {
            kcCalls.add("GET " + ctx.path());
            List<Map<String, Object>> out = new ArrayList<>();
            for (String n : kcMappers.get(ctx.pathParam("alias"))) {
                out.add(Map.of("name", n));
            }
            ctx.json(out);
        });
        keycloak.delete("/admin/realms/{realm}/identity-provider/instances/{alias}", ctx -> {
            kcCalls.add("DELETE " + ctx.path());
            kcMappers.remove(ctx.pathParam("alias"));
            ctx.status(204);
        });
        keycloak.start(0);
        opal = Javalin.create(c -> c.showJavalinBanner = false);
        opal.post("/token", ctx -> {
            String type = JSON.readTree(ctx.body()).path("type").asText();
            if ("datasource".equals(type)) {
                datasourceAuthOk.add(("Bearer " + OPAL_MASTER).equals(ctx.header("Authorization")));
                if (opalStatus != 200) {
                    ctx.status(opalStatus).json(Map.of("detail", "boom"));
                    return;
                }
                ctx.json(Map.of("token", "opal-datasource-jwt", "type", "bearer",
                        "details", Map.of("id", "y", "type", "datasource")));
                return;
            }
            opalAuth.add(ctx.header("Authorization") + " " + type);
            if (opalStatus != 200) {
                ctx.status(opalStatus).json(Map.of("detail", "boom"));
                return;
            }
            ctx.json(Map.of("token", "opal-client-jwt", "type", "bearer",
                    "details", Map.of("id", "x", "type", "client", "expired", "2027-11-26T00:00:00+00:00")));
        });
        opal.post("/data/config", ctx -> {
            opalUpdates.add(JSON.readTree(ctx.body()));
            opalUpdateAuthOk.add("Bearer opal-datasource-jwt".equals(ctx.header("Authorization")));
            ctx.status(dataConfigStatus).json(Map.of("status", "ok"));
        });
        // the hub's OPA (same fake server, other paths)
        opal.put("/v1/data/federation/trusted_issuers", ctx -> {
            opaPuts.add(JSON.readTree(ctx.body()));
            ctx.status(204);
        });
        opal.start(0);
    }

    void startHub(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("INSTANCE_CODE", "USA");
        env.put("DIVE_MODE", "hub");
        env.put("MONGODB_URL", mongoUrl);
        env.put("MONGODB_DATABASE", "fed-test-" + DB_SEQ.incrementAndGet());
        env.put("OPA_URL", "http://127.0.0.1:" + opal.port());
        env.put("KEYCLOAK_ISSUER", HUB_ISSUER);
        env.put("KEYCLOAK_ADMIN_URL", "http://127.0.0.1:" + keycloak.port() + "/");
        env.put("KEYCLOAK_ADMIN_PASSWORD", KC_PASSWORD);
        env.put("OPAL_SERVER_URL", "http://127.0.0.1:" + opal.port());
        env.put("OPAL_AUTH_MASTER_TOKEN", OPAL_MASTER);
        env.put("FEDERATION_ADMIN_TOKEN", ADMIN_TOKEN);
        env.putAll(extra);
        ev = new CapturingEvents();
        Config c = Config.from(env);
        c.federation().report(true, null, ev);
        backend = new BackendApp(c, ev);
        backend.start();
        backend.initMongo();
        base = "http://127.0.0.1:" + backend.port();
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.stop();
        }
        keycloak.stop();
        opal.stop();
        if (ev != null) {
            for (String line : new ArrayList<>(ev.lines)) {
                for (String secret : List.of(ADMIN_TOKEN, KC_PASSWORD, OPAL_MASTER, CLIENT_SECRET, "opal-client-jwt",
                        "kc-access-token", "opal-datasource-jwt")) {
                    assertFalse(line.contains(secret), "secret in log: " + line);
                }
            }
        }
    }

    MongoDatabase db() {
        return backend.mongo().database();
    }

    static Map<String, Object> registration(String code) {
        String lower = code.toLowerCase();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("instanceCode", code);
        r.put("name", "France");
        r.put("baseUrl", "https://localhost:3010");
        r.put("apiUrl", "https://localhost:4010");
        r.put("idpUrl", "http://localhost:8453");
        r.put("requestedScopes", List.of("policy:base", "heartbeat:write"));
        r.put("contactEmail", "admin@" + lower + ".example");
        r.put("idpIssuer", "http://localhost:8453/realms/dive-v3-broker-" + lower);
        r.put("idpInternalUrl", "http://keycloak-" + lower + ":8080");
        r.put("kasUrl", "http://kas-" + lower + ":8080");
        r.put("clientSecret", CLIENT_SECRET);
        return r;
    }

    HttpResponse<String> send(String method, String path, Object body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    long count(String collection) {
        return db().getCollection(collection).countDocuments();
    }

    JsonNode registerOk(String code) throws Exception {
        HttpResponse<String> r = send("POST", "/api/federation/register", registration(code), null);
        assertEquals(201, r.statusCode(), r.body());
        return json(r);
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void validationErrorsNameTheFieldAndCreateNothing() throws Exception {
        startHub(Map.of());
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("instanceCode", "fra");
        cases.put("instanceCode ", "FRAN");
        cases.put("baseUrl", "ftp://example.org");
        cases.put("apiUrl", "not a url");
        cases.put("idpUrl", "");
        cases.put("contactEmail", "nobody");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String field = c.getKey().trim();
            Map<String, Object> body = registration("FRA");
            body.put(field, c.getValue());
            HttpResponse<String> r = send("POST", "/api/federation/register", body, null);
            assertEquals(400, r.statusCode(), r.body());
            JsonNode j = json(r);
            assertTrue(j.get("error").asText().contains(field), r.body());
            assertEquals(field, j.get("details").get(0).get("field").asText(), r.body());
        }
        for (String missing : List.of("instanceCode", "name", "baseUrl", "apiUrl", "idpUrl", "requestedScopes",
                "contactEmail")) {
            Map<String, Object> body = registration("FRA");
            body.remove(missing);
            HttpResponse<String> r = send("POST", "/api/federation/register", body, null);
            assertEquals(400, r.statusCode(), r.body());
            assertTrue(json(r).get("error").asText().contains(missing), r.body());
        }
        Map<String, Object> scopes = registration("FRA");
        scopes.put("requestedScopes", "policy:base");
        assertEquals(400, send("POST", "/api/federation/register", scopes, null).statusCode());
        assertEquals(400, send("POST", "/api/federation/register", "{not json", null).statusCode());
        assertEquals(400, send("POST", "/api/federation/register", registration("USA"), null).statusCode());
        assertEquals(0, count("federation_spokes"));
        assertTrue(kcCalls.isEmpty(), kcCalls.toString());
        assertTrue(opalAuth.isEmpty());
    }

    @Test
    void registerApprovesWithTokenBrokeringIssuerAndKas() throws Exception {
        startHub(Map.of());
        Instant before = Instant.now();
        JsonNode j = registerOk("FRA");
        JsonNode spoke = j.get("spoke");
        assertTrue(spoke.get("spokeId").asText().matches("spoke-fra-[0-9a-f]{8}"), j.toString());
        assertEquals("FRA", spoke.get("instanceCode").asText());
        assertEquals("approved", spoke.get("status").asText());
        String token = j.get("token").get("token").asText();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        Instant exp = Instant.parse(j.get("token").get("expiresAt").asText());
        assertTrue(Math.abs(Duration.between(before.plusSeconds(86_400), exp).toSeconds()) < 10, exp.toString());
        assertEquals(List.of("policy:base", "heartbeat:write"),
                JSON.convertValue(j.get("token").get("scopes"), List.class));
        assertEquals("opal-client-jwt", j.get("opalToken").get("token").asText());
        assertEquals("2027-11-26T00:00:00+00:00", j.get("opalToken").get("expiresAt").asText());
        assertEquals(List.of("Bearer " + OPAL_MASTER + " client"), opalAuth);

        // exactly the Keycloak admin calls: login, IdP, five mappers
        String idps = "/admin/realms/dive-v3-broker-usa/identity-provider/instances";
        assertEquals(List.of("POST /realms/master/protocol/openid-connect/token", "POST " + idps,
                "POST " + idps + "/fra-idp/mappers", "POST " + idps + "/fra-idp/mappers",
                "POST " + idps + "/fra-idp/mappers", "POST " + idps + "/fra-idp/mappers",
                "POST " + idps + "/fra-idp/mappers"), kcCalls);
        JsonNode idp = kcBodies.get(0);
        assertEquals("fra-idp", idp.get("alias").asText());
        assertEquals("oidc", idp.get("providerId").asText());
        assertTrue(idp.get("enabled").asBoolean());
        JsonNode cfg = idp.get("config");
        assertEquals("http://localhost:8453/realms/dive-v3-broker-fra/protocol/openid-connect/auth",
                cfg.get("authorizationUrl").asText());
        assertEquals("http://keycloak-fra:8080/realms/dive-v3-broker-fra/protocol/openid-connect/token",
                cfg.get("tokenUrl").asText());
        assertEquals("http://keycloak-fra:8080/realms/dive-v3-broker-fra/protocol/openid-connect/certs",
                cfg.get("jwksUrl").asText());
        assertEquals("http://keycloak-fra:8080/realms/dive-v3-broker-fra/protocol/openid-connect/userinfo",
                cfg.get("userInfoUrl").asText());
        assertEquals("http://localhost:8453/realms/dive-v3-broker-fra", cfg.get("issuer").asText());
        assertEquals("dive-v3-broker-fra", cfg.get("clientId").asText());
        assertEquals(CLIENT_SECRET, cfg.get("clientSecret").asText());
        assertEquals("openid profile email clearance countryOfAffiliation uniqueID acpCOI", cfg.get("defaultScope").asText());
        assertEquals("FORCE", cfg.get("syncMode").asText());
        List<String> mapperNames = new ArrayList<>();
        for (JsonNode m : kcBodies.subList(1, 6)) {
            assertEquals("oidc-user-attribute-idp-mapper", m.get("identityProviderMapper").asText());
            assertEquals("fra-idp", m.get("identityProviderAlias").asText());
            assertEquals(m.get("name").asText(), m.get("config").get("claim").asText());
            assertEquals(m.get("name").asText(), m.get("config").get("user.attribute").asText());
            mapperNames.add(m.get("name").asText());
        }
        assertEquals(List.of("clearance", "countryOfAffiliation", "uniqueID", "acpCOI", "organizationType"), mapperNames);

        // stored: only the hash of the token, the trusted issuer, the KAS
        Document t = db().getCollection("federation_tokens").find().first();
        assertNotNull(t);
        assertEquals(FederationService.sha256(token), t.getString("tokenHash"));
        assertEquals(spoke.get("spokeId").asText(), t.getString("spokeId"));
        assertFalse(t.toJson().contains(token));
        Document s = db().getCollection("federation_spokes").find().first();
        assertFalse(s.toJson().contains(token));
        assertFalse(s.toJson().contains(CLIENT_SECRET));
        assertFalse(s.toJson().contains("opal-client-jwt"));
        Document issuer = db().getCollection("trusted_issuers")
                .find(Filters.eq("issuerUrl", "http://localhost:8453/realms/dive-v3-broker-fra")).first();
        assertNotNull(issuer);
        assertEquals("FRA", issuer.getString("tenant"));
        assertEquals("France", issuer.getString("name"));
        assertNotNull(issuer.getDate("addedAt"));
        Document kas = db().getCollection("kas_registry").find(Filters.eq("kasId", "fra-kas")).first();
        assertNotNull(kas);
        assertEquals("http://kas-fra:8080", kas.getString("url"));
        assertEquals("FRA", kas.getString("instanceCode"));
        for (String line : ev.lines) {
            assertFalse(line.contains(token), line);
        }
    }

    @Test
    void duplicateRegistrationIsAConflict() throws Exception {
        startHub(Map.of());
        String spokeId = registerOk("FRA").get("spoke").get("spokeId").asText();
        kcCalls.clear();
        HttpResponse<String> r = send("POST", "/api/federation/register", registration("FRA"), null);
        assertEquals(409, r.statusCode(), r.body());
        assertEquals("already registered", json(r).get("error").asText());
        assertEquals(spokeId, json(r).get("spokeId").asText());
        assertTrue(kcCalls.isEmpty());
        assertEquals(1, count("federation_spokes"));
        assertEquals(1, count("federation_tokens"));
    }

    @Test
    void heartbeatOkWrongAndExpired() throws Exception {
        startHub(Map.of());
        JsonNode reg = registerOk("FRA");
        String token = reg.get("token").get("token").asText();
        String spokeId = reg.get("spoke").get("spokeId").asText();
        Map<String, Object> hb = Map.of("instanceCode", "FRA", "services", Map.of("opa", "up", "kas", "up"));

        HttpResponse<String> ok = send("POST", "/api/federation/heartbeat", hb, token);
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(json(ok).get("ok").asBoolean());
        Instant.parse(json(ok).get("serverTime").asText());
        Document s = spoke(spokeId);
        assertEquals(1, ((Number) s.get("heartbeatCount")).intValue());
        Date first = s.getDate("lastHeartbeat");
        assertNotNull(first);
        assertEquals("up", s.get("services", Document.class).getString("kas"));

        HttpResponse<String> status = send("GET", "/api/federation/registration/FRA/status", null, null);
        assertEquals(first.toInstant().toString(), json(status).get("lastHeartbeat").asText());

        // wrong, missing, other instance: nothing recorded
        // one character changed (a random token may itself start with "x")
        String wrong = (token.charAt(0) == 'x' ? "y" : "x") + token.substring(1);
        assertEquals(401, send("POST", "/api/federation/heartbeat", hb, wrong).statusCode());
        assertEquals(401, send("POST", "/api/federation/heartbeat", hb, null).statusCode());
        assertEquals(403, send("POST", "/api/federation/heartbeat", Map.of("instanceCode", "GBR"), token).statusCode());
        s = spoke(spokeId);
        assertEquals(1, ((Number) s.get("heartbeatCount")).intValue());
        assertEquals(first, s.getDate("lastHeartbeat"));

        // expired (the TTL monitor may not have removed it yet): 401, nothing recorded
        db().getCollection("federation_tokens").updateOne(Filters.eq("spokeId", spokeId),
                Updates.set("expiresAt", Date.from(Instant.now().minusSeconds(1))));
        HttpResponse<String> expired = send("POST", "/api/federation/heartbeat", hb, token);
        assertEquals(401, expired.statusCode(), expired.body());
        assertTrue(json(expired).has("error"));
        s = spoke(spokeId);
        assertEquals(1, ((Number) s.get("heartbeatCount")).intValue());
        assertEquals(first, s.getDate("lastHeartbeat"));
        assertTrue(ev.level("WARN").stream().anyMatch(l -> l.startsWith("Heartbeat rejected")));
    }

    Document spoke(String spokeId) {
        return db().getCollection("federation_spokes").find(Filters.eq("spokeId", spokeId)).first();
    }

    @Test
    void spokesListAndStatus() throws Exception {
        startHub(Map.of());
        JsonNode fra = registerOk("FRA");
        Map<String, Object> gbr = registration("GBR");
        gbr.put("name", "United Kingdom");
        assertEquals(201, send("POST", "/api/federation/register", gbr, null).statusCode());
        send("POST", "/api/federation/heartbeat", Map.of(), fra.get("token").get("token").asText());

        HttpResponse<String> list = send("GET", "/api/federation/spokes", null, null);
        assertEquals(200, list.statusCode());
        JsonNode arr = json(list);
        assertEquals(2, arr.size(), arr.toString());
        JsonNode f = arr.get(0);
        assertEquals("FRA", f.get("instanceCode").asText());
        assertEquals(fra.get("spoke").get("spokeId").asText(), f.get("spokeId").asText());
        assertEquals("France", f.get("name").asText());
        assertEquals("approved", f.get("status").asText());
        assertTrue(f.get("bidirectional").asBoolean());
        assertEquals(1, f.get("heartbeatCount").asInt());
        assertTrue(f.get("active").asBoolean());
        for (String k : List.of("approvedAt", "lastHeartbeat", "tokenExpiresAt")) {
            Instant.parse(f.get(k).asText());
        }
        JsonNode g = arr.get(1);
        assertEquals("GBR", g.get("instanceCode").asText());
        assertEquals(0, g.get("heartbeatCount").asInt());
        assertTrue(g.get("lastHeartbeat").isNull());

        for (String id : List.of("FRA", "fra", fra.get("spoke").get("spokeId").asText())) {
            HttpResponse<String> st = send("GET", "/api/federation/registration/" + id + "/status", null, null);
            assertEquals(200, st.statusCode(), st.body());
            JsonNode sj = json(st);
            assertEquals("approved", sj.get("status").asText());
            assertEquals(fra.get("token").get("expiresAt").asText(), sj.get("tokenExpiresAt").asText());
            for (String k : List.of("spokeId", "instanceCode", "approvedAt", "lastHeartbeat")) {
                assertTrue(sj.hasNonNull(k), k);
            }
        }
        HttpResponse<String> unknown = send("GET", "/api/federation/registration/DEU/status", null, null);
        assertEquals(404, unknown.statusCode());
        assertTrue(json(unknown).has("error"));
        assertEquals(404, send("GET", "/api/federation/registration/spoke-deu-00000000/status", null, null).statusCode());
    }

    @Test
    void opalFailureIs502NamingOpalAndStoresNothing() throws Exception {
        opalStatus = 500;
        startHub(Map.of());
        HttpResponse<String> r = send("POST", "/api/federation/register", registration("FRA"), null);
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("OPAL"), r.body());
        assertEquals("OPAL", json(r).get("dependency").asText());
        assertEquals(0, count("federation_spokes"));
        assertEquals(0, count("federation_tokens"));
        assertEquals(0, count("trusted_issuers"));
        assertEquals(0, count("kas_registry"));
        assertTrue(kcCalls.isEmpty(), kcCalls.toString());
        // once OPAL is back, the same registration goes through
        opalStatus = 200;
        registerOk("FRA");
    }

    @Test
    void opalUnreachableOrUnconfiguredIs502() throws Exception {
        startHub(Map.of("OPAL_SERVER_URL", "http://127.0.0.1:1"));
        HttpResponse<String> r = send("POST", "/api/federation/register", registration("FRA"), null);
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().startsWith("OPAL"), r.body());
        assertEquals(0, count("federation_spokes"));
    }

    @Test
    void keycloakFailureIs502NamingKeycloakAndRollsBackTheIdp() throws Exception {
        failMapperWith = 500;
        startHub(Map.of());
        HttpResponse<String> r = send("POST", "/api/federation/register", registration("FRA"), null);
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("Keycloak"), r.body());
        assertEquals("DELETE /admin/realms/dive-v3-broker-usa/identity-provider/instances/fra-idp",
                kcCalls.get(kcCalls.size() - 1));
        assertFalse(kcMappers.containsKey("fra-idp"));
        assertEquals(0, count("federation_spokes"));
        assertEquals(0, count("federation_tokens"));
        assertEquals(0, count("trusted_issuers"));
    }

    @Test
    void keycloakWrongAdminPasswordIs502() throws Exception {
        startHub(Map.of("KEYCLOAK_ADMIN_PASSWORD", "wrong-password"));
        HttpResponse<String> r = send("POST", "/api/federation/register", registration("FRA"), null);
        assertEquals(502, r.statusCode(), r.body());
        assertEquals("Keycloak", json(r).get("dependency").asText());
        assertFalse(r.body().contains("wrong-password"));
        assertEquals(0, count("federation_spokes"));
    }

    @Test
    void pendingRegistrationThenAdminApproval() throws Exception {
        startHub(Map.of("AUTO_APPROVE", "false"));
        HttpResponse<String> r = send("POST", "/api/federation/register", registration("FRA"), null);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode j = json(r);
        assertEquals("pending", j.get("spoke").get("status").asText());
        assertFalse(j.has("token"));
        assertFalse(j.has("opalToken"));
        assertTrue(kcCalls.isEmpty());
        String spokeId = j.get("spoke").get("spokeId").asText();
        JsonNode st = json(send("GET", "/api/federation/registration/" + spokeId + "/status", null, null));
        assertEquals("pending", st.get("status").asText());
        assertTrue(st.get("approvedAt").isNull());

        String approve = "/api/federation/spokes/" + spokeId + "/approve";
        assertEquals(401, send("POST", approve, null, null).statusCode());
        assertEquals(401, send("POST", approve, null, "wrong").statusCode());
        assertEquals(404, send("POST", "/api/federation/spokes/spoke-fra-00000000/approve", null, ADMIN_TOKEN).statusCode());
        assertEquals(0, count("federation_tokens"));

        HttpResponse<String> a = send("POST", approve, Map.of("clientSecret", CLIENT_SECRET), ADMIN_TOKEN);
        assertEquals(200, a.statusCode(), a.body());
        JsonNode aj = json(a);
        assertEquals("approved", aj.get("spoke").get("status").asText());
        String token = aj.get("token").get("token").asText();
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"));
        assertEquals("opal-client-jwt", aj.get("opalToken").get("token").asText());
        assertEquals(CLIENT_SECRET, kcBodies.get(0).get("config").get("clientSecret").asText());
        assertEquals("approved", json(send("GET", "/api/federation/registration/FRA/status", null, null))
                .get("status").asText());
        assertEquals(200, send("POST", "/api/federation/heartbeat", Map.of(), token).statusCode());

        // approving again rotates the token: the old one stops working
        HttpResponse<String> again = send("POST", approve, null, ADMIN_TOKEN);
        assertEquals(200, again.statusCode(), again.body());
        String newToken = json(again).get("token").get("token").asText();
        assertNotEquals(token, newToken);
        assertEquals(401, send("POST", "/api/federation/heartbeat", Map.of(), token).statusCode());
        assertEquals(200, send("POST", "/api/federation/heartbeat", Map.of(), newToken).statusCode());
        assertEquals(1, count("federation_tokens"));
        assertEquals(List.of("clearance", "countryOfAffiliation", "uniqueID", "acpCOI", "organizationType"), kcMappers.get("fra-idp"));
        assertTrue(kcCalls.contains("PUT /admin/realms/dive-v3-broker-usa/identity-provider/instances/fra-idp"), kcCalls.toString());
    }

    @Test
    void spokeHeartbeatSenderReportsStatusButNeverTheToken() throws Exception {
        startHub(Map.of());
        String token = registerOk("FRA").get("token").get("token").asText();
        CapturingEvents spokeEv = new CapturingEvents();
        try (HeartbeatSender ok = new HeartbeatSender(base, token, "FRA", 5, () -> Map.of("backend", "healthy"), spokeEv)) {
            assertEquals(200, ok.beat());
        }
        String bad = "badbadbadbadbadbadbadbadbadbadbadbadbadbadb";
        try (HeartbeatSender wrong = new HeartbeatSender(base, bad, "FRA", 5, Map::of, spokeEv)) {
            assertEquals(401, wrong.beat());
        }
        try (HeartbeatSender down = new HeartbeatSender("http://127.0.0.1:1", token, "FRA", 5, Map::of, spokeEv)) {
            assertEquals(-1, down.beat());
        }
        List<String> warns = spokeEv.level("WARN");
        assertEquals(2, warns.size(), spokeEv.lines.toString());
        assertTrue(warns.get(0).startsWith("Heartbeat to hub failed: HTTP 401"), warns.get(0));
        assertTrue(warns.get(1).startsWith("Heartbeat to hub failed:"), warns.get(1));
        for (String l : spokeEv.lines) {
            assertFalse(l.contains(token) || l.contains(bad), l);
        }
        assertEquals(1, ((Number) db().getCollection("federation_spokes").find().first().get("heartbeatCount")).intValue());
    }

    @Test
    void spokeModeHasNoFederationApiAndWarnsOnlyWithoutToken() {
        CapturingEvents e1 = new CapturingEvents();
        Config c1 = Config.from(Map.of("INSTANCE_CODE", "FRA", "HUB_API_URL", "http://backend-usa:4000"));
        c1.reportMissingSettings(e1);
        assertTrue(e1.level("WARN").contains(Messages.SPOKE_TOKEN_MISSING));
        CapturingEvents e2 = new CapturingEvents();
        Config c2 = Config.from(Map.of("INSTANCE_CODE", "FRA", "SPOKE_TOKEN", "secret-spoke-token",
                "HUB_API_URL", "http://backend-usa:4000/", "HEARTBEAT_INTERVAL_SECONDS", "5"));
        c2.reportMissingSettings(e2);
        c2.federation().report(false, c2.spokeToken(), e2);
        assertFalse(e2.level("WARN").contains(Messages.SPOKE_TOKEN_MISSING));
        assertEquals("http://backend-usa:4000", c2.federation().hubApiUrl());
        assertEquals(5, c2.federation().heartbeatIntervalSeconds());
        assertFalse(c2.toString().contains("secret-spoke-token"));
        assertTrue(Config.from(Map.of()).federation().autoApprove());
        assertEquals(86_400, Config.from(Map.of()).federation().spokeTokenTtlSeconds());
        assertEquals("dive-v3-broker-usa", Config.from(Map.of("INSTANCE_CODE", "USA")).federation().hubRealm());
    }

    // ------------------------------------------------------------------ trusted issuers

    List<String> trustedIssuers() throws Exception {
        HttpResponse<String> r = send("GET", "/api/federation/trusted-issuers", null, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readValue(r.body(), new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {});
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    void assertOpalUpdate(JsonNode update, String reason) {
        assertEquals(reason, update.get("reason").asText(), update.toString());
        assertEquals(1, update.get("entries").size());
        JsonNode e = update.get("entries").get(0);
        assertEquals("http://backend-usa:4000/api/federation/trusted-issuers", e.get("url").asText());
        assertEquals(List.of("policy_data"), strings(e.get("topics")));
        assertEquals("/federation/trusted_issuers", e.get("dst_path").asText());
    }

    @Test
    void trustedIssuersAreListedAndPublishedAtStartupAndAfterEachApproval() throws Exception {
        startHub(Map.of());
        // startup: the hub's own issuer, to OPA and announced to OPAL
        assertEquals(List.of(HUB_ISSUER), trustedIssuers());
        assertEquals(1, opaPuts.size());
        assertEquals(List.of(HUB_ISSUER), strings(opaPuts.get(0)));
        assertEquals(1, opalUpdates.size());
        assertOpalUpdate(opalUpdates.get(0), "hub startup");
        assertEquals(List.of(true), datasourceAuthOk);
        assertEquals(List.of(true), opalUpdateAuthOk);

        registerOk("FRA");
        assertEquals(List.of(HUB_ISSUER, FRA_ISSUER), trustedIssuers());
        assertEquals(List.of(HUB_ISSUER, FRA_ISSUER), strings(opaPuts.get(opaPuts.size() - 1)));
        assertOpalUpdate(opalUpdates.get(opalUpdates.size() - 1), "spoke FRA approved");

        Map<String, Object> gbr = registration("GBR");
        assertEquals(201, send("POST", "/api/federation/register", gbr, null).statusCode());
        String gbrIssuer = "http://localhost:8453/realms/dive-v3-broker-gbr";
        assertEquals(List.of(HUB_ISSUER, FRA_ISSUER, gbrIssuer), trustedIssuers());
        assertEquals(List.of(HUB_ISSUER, FRA_ISSUER, gbrIssuer), strings(opaPuts.get(opaPuts.size() - 1)));
        assertOpalUpdate(opalUpdates.get(opalUpdates.size() - 1), "spoke GBR approved");
        assertEquals(3, opalUpdates.size());
        assertFalse(datasourceAuthOk.contains(false));
        assertFalse(opalUpdateAuthOk.contains(false));

        // a disabled issuer is not trusted
        db().getCollection("trusted_issuers").updateOne(Filters.eq("issuerUrl", FRA_ISSUER), Updates.set("enabled", false));
        assertEquals(List.of(HUB_ISSUER, gbrIssuer), trustedIssuers());
        assertTrue(ev.level("INFO").contains("Trusted issuers published to OPA: 3 issuer(s) at /v1/data/federation/trusted_issuers"),
                ev.lines.toString());
        assertTrue(ev.level("WARN").stream().noneMatch(l -> l.contains("rusted issuers")), ev.lines.toString());
    }

    @Test
    void pendingSpokeIsNotTrustedUntilApproved() throws Exception {
        startHub(Map.of("AUTO_APPROVE", "false"));
        String spokeId = json(send("POST", "/api/federation/register", registration("FRA"), null))
                .get("spoke").get("spokeId").asText();
        assertEquals(List.of(HUB_ISSUER), trustedIssuers());
        assertEquals(1, opaPuts.size(), "registration without approval publishes nothing");
        assertEquals(200, send("POST", "/api/federation/spokes/" + spokeId + "/approve", null, ADMIN_TOKEN).statusCode());
        assertEquals(List.of(HUB_ISSUER, FRA_ISSUER), trustedIssuers());
        assertEquals(List.of(HUB_ISSUER, FRA_ISSUER), strings(opaPuts.get(opaPuts.size() - 1)));
        assertOpalUpdate(opalUpdates.get(opalUpdates.size() - 1), "spoke FRA approved");
    }

    @Test
    void opalPublicationFailureIsOneWarningAndTheApprovalStands() throws Exception {
        dataConfigStatus = 500;
        startHub(Map.of());
        ev.lines.clear();
        JsonNode j = registerOk("FRA");
        assertEquals("approved", j.get("spoke").get("status").asText());
        assertEquals(List.of(HUB_ISSUER, FRA_ISSUER), trustedIssuers());
        assertEquals(List.of("Publishing trusted issuers to OPAL failed: OPAL server answered HTTP 500 to POST /data/config"),
                ev.level("WARN"));
        assertEquals(List.of(HUB_ISSUER, FRA_ISSUER), strings(opaPuts.get(opaPuts.size() - 1)));
    }
}
