package dive.reference.backend;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class StartupMessagesTest {

    @Test
    void spokeWithoutAnythingWarnsWithTheContractLines() {
        CapturingEvents ev = new CapturingEvents();
        Config c = Config.from(Map.of("INSTANCE_CODE", "fra", "KEYCLOAK_ISSUER", "http://localhost:8453/realms/x"));
        c.reportMissingSettings(ev);
        assertEquals(List.of(
                "OPAL_AUTH_MASTER_TOKEN not set - OPAL token generation will fail",
                "DATABASE_URL not configured - PostgreSQL audit persistence disabled",
                "SPOKE_TOKEN environment variable is required for spoke mode. Register the spoke first."),
                ev.level("WARN"));
        assertEquals("FRA", c.instanceCode());
        assertEquals("dive-v3-fra", c.mongoDatabase());
        assertEquals("http://localhost:8453/realms/x/protocol/openid-connect/certs", c.keycloakJwksUrl());
    }

    @Test
    void fullyConfiguredSpokeIsQuiet() {
        CapturingEvents ev = new CapturingEvents();
        Config.from(Map.of("INSTANCE_CODE", "FRA", "OPAL_AUTH_MASTER_TOKEN", "t", "DATABASE_URL",
                "postgresql://u:p@h/db", "SPOKE_TOKEN", "s", "KEYCLOAK_ISSUER", "http://kc/realms/r")).reportMissingSettings(ev);
        assertTrue(ev.lines.isEmpty(), ev.lines.toString());
    }

    @Test
    void hubNeedsNoSpokeToken() {
        CapturingEvents ev = new CapturingEvents();
        Config c = Config.from(Map.of("INSTANCE_CODE", "USA", "DIVE_MODE", "hub", "OPAL_AUTH_MASTER_TOKEN", "t",
                "DATABASE_URL", "postgresql://u:p@h/db", "KEYCLOAK_ISSUER", "http://kc/realms/r"));
        c.reportMissingSettings(ev);
        assertTrue(c.hub());
        assertTrue(ev.lines.isEmpty(), ev.lines.toString());
    }

    @Test
    void configToStringHoldsNoSecret() {
        Config c = Config.from(Map.of("OPAL_AUTH_MASTER_TOKEN", "opalsecretvalue", "SPOKE_TOKEN", "spokesecretvalue",
                "DATABASE_URL", "postgresql://postgres:pgsecretvalue@pg:5432/dive_v3",
                "MONGODB_URL", "mongodb://admin:mongosecretvalue@mongo:27017/?authSource=admin"));
        String s = c.toString();
        for (String secret : List.of("opalsecretvalue", "spokesecretvalue", "pgsecretvalue", "mongosecretvalue")) {
            assertFalse(s.contains(secret), s);
        }
    }
}
