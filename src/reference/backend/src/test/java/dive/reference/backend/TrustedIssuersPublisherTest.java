package dive.reference.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The publisher against a local Javalin standing in for OPA and the OPAL server. */
class TrustedIssuersPublisherTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MASTER = "publisher-test-master-token";
    static final String DATASOURCE = "publisher-test-datasource-token";
    static final String URL = "http://backend-usa:4000/api/federation/trusted-issuers";
    static final List<String> ISSUERS = List.of("http://localhost:8443/realms/dive-v3-broker-usa",
            "http://localhost:8453/realms/dive-v3-broker-fra");

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> bodies = Collections.synchronizedList(new ArrayList<>());
    final List<Boolean> authOk = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger opaFailuresLeft = new AtomicInteger();
    final List<Long> slept = new ArrayList<>();
    volatile int tokenStatus = 200;
    Javalin stub;
    CapturingEvents ev;
    String base;

    @BeforeEach
    void start() {
        stub = Javalin.create(c -> c.showJavalinBanner = false);
        stub.put("/v1/data/federation/trusted_issuers", ctx -> {
            calls.add("PUT " + ctx.path());
            bodies.add(JSON.readTree(ctx.body()));
            authOk.add(ctx.header("Authorization") == null);
            ctx.status(opaFailuresLeft.getAndDecrement() > 0 ? 503 : 204);
        });
        stub.post("/token", ctx -> {
            calls.add("POST /token");
            bodies.add(JSON.readTree(ctx.body()));
            authOk.add(("Bearer " + MASTER).equals(ctx.header("Authorization")));
            if (tokenStatus != 200) {
                ctx.status(tokenStatus).json(Map.of("detail", "no"));
                return;
            }
            ctx.json(Map.of("token", DATASOURCE, "type", "bearer", "details", Map.of("type", "datasource")));
        });
        stub.post("/data/config", ctx -> {
            calls.add("POST /data/config");
            bodies.add(JSON.readTree(ctx.body()));
            authOk.add(("Bearer " + DATASOURCE).equals(ctx.header("Authorization")));
            ctx.json(Map.of("status", "ok"));
        });
        stub.start(0);
        base = "http://127.0.0.1:" + stub.port();
        ev = new CapturingEvents();
    }

    @AfterEach
    void stop() {
        stub.stop();
        for (String l : ev.lines) {
            assertFalse(l.contains(MASTER) || l.contains(DATASOURCE), "token in log: " + l);
        }
    }

    TrustedIssuersPublisher publisher(String opaUrl, String opalUrl, String master) {
        return new TrustedIssuersPublisher(opaUrl, opalUrl, master, URL, ev, slept::add);
    }

    @Test
    void putsToOpaAndAnnouncesToOpalWithTheDatasourceToken() throws Exception {
        publisher(base, base, MASTER).publish(ISSUERS, "spoke FRA approved");
        assertEquals(List.of("PUT /v1/data/federation/trusted_issuers", "POST /token", "POST /data/config"), calls);
        assertEquals(List.of(true, true, true), authOk);
        assertEquals(JSON.valueToTree(ISSUERS), bodies.get(0));
        assertEquals(JSON.readTree("{\"type\":\"datasource\"}"), bodies.get(1));
        assertEquals(JSON.readTree("{\"entries\":[{\"url\":\"" + URL + "\",\"topics\":[\"policy_data\"],"
                + "\"dst_path\":\"/federation/trusted_issuers\"}],\"reason\":\"spoke FRA approved\"}"), bodies.get(2));
        assertTrue(slept.isEmpty());
        assertEquals(List.of("Trusted issuers published to OPA: 2 issuer(s) at /v1/data/federation/trusted_issuers",
                "Trusted issuers update published to OPAL (topic policy_data, " + URL
                        + " -> /federation/trusted_issuers): spoke FRA approved"), ev.level("INFO"));
        assertTrue(ev.level("WARN").isEmpty());
    }

    @Test
    void opaIsRetriedWithBackoffUntilItAnswers() {
        opaFailuresLeft.set(2);
        assertTrue(publisher(base, base, MASTER).putToOpa(ISSUERS));
        assertEquals(List.of(500L, 1000L), slept);
        assertEquals(3, calls.size());
        assertEquals(1, ev.lines.size(), ev.lines.toString());
    }

    @Test
    void unreachableOpaIsOneWarningAfterFiveAttempts() {
        assertFalse(publisher("http://127.0.0.1:1", base, MASTER).putToOpa(ISSUERS));
        assertEquals(List.of(500L, 1000L, 2000L, 4000L), slept);
        List<String> warns = ev.level("WARN");
        assertEquals(1, warns.size(), ev.lines.toString());
        assertTrue(warns.get(0).startsWith("Publishing trusted issuers to OPA failed after 5 attempts: "), warns.get(0));
        assertTrue(ev.level("INFO").isEmpty());
    }

    @Test
    void opalFailuresAreOneWarningEach() {
        tokenStatus = 401;
        assertFalse(publisher(base, base, MASTER).publishToOpal("hub startup"));
        assertFalse(calls.contains("POST /data/config"));
        assertFalse(publisher(base, base, null).publishToOpal("hub startup"));
        assertFalse(publisher(base, null, MASTER).publishToOpal("hub startup"));
        assertFalse(publisher(base, "http://127.0.0.1:1", MASTER).publishToOpal("hub startup"));
        List<String> warns = ev.level("WARN");
        assertEquals(4, warns.size(), ev.lines.toString());
        assertEquals("Publishing trusted issuers to OPAL failed: OPAL server answered HTTP 401 to POST /token", warns.get(0));
        assertEquals("Publishing trusted issuers to OPAL failed: OPAL_AUTH_MASTER_TOKEN not set", warns.get(1));
        assertEquals("Publishing trusted issuers to OPAL failed: OPAL_SERVER_URL not set", warns.get(2));
        assertTrue(warns.get(3).startsWith("Publishing trusted issuers to OPAL failed: OPAL server unreachable at"), warns.get(3));
    }
}
