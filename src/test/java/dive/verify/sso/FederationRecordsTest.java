package dive.verify.sso;

import com.fasterxml.jackson.databind.JsonNode;
import dive.verify.http.Http;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FederationRecordsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private static JsonNode record(String json) throws Exception { return Http.JSON.readTree(json); }

    @Test
    void approvedOnlyWhenEverySpokeIs() throws Exception {
        var at = Map.of("FRA", record("{\"status\":\"approved\"}"), "GBR", record("{\"status\":\"pending\"}"));
        assertThat(FederationRecords.approved("w", at, List.of("FRA")).ok()).isTrue();
        var both = FederationRecords.approved("w", at, List.of("FRA", "GBR"));
        assertThat(both.ok()).isFalse();
        assertThat(both.observed()).isEqualTo("not for GBR (FRA: approved, GBR: pending)");
        assertThat(FederationRecords.approved("w", at, List.of("DEU")).observed()).isEqualTo("not for DEU (DEU: not listed)");
    }

    @Test
    void aHeartbeatCountsOnlyWithinTheWindow() throws Exception {
        var at = Map.of("FRA", record("{\"lastHeartbeat\":\"2026-12-01T11:59:55Z\"}"),
                "GBR", record("{\"lastHeartbeat\":\"2026-12-01T11:58:00Z\"}"), "DEU", record("{\"lastHeartbeat\":null}"));
        var w = Duration.ofSeconds(30);
        assertThat(FederationRecords.recentHeartbeats("w", at, List.of("FRA"), w, NOW).ok()).isTrue();
        var late = FederationRecords.recentHeartbeats("w", at, List.of("FRA", "GBR"), w, NOW);
        assertThat(late.ok()).as("GBR's is two minutes old").isFalse();
        assertThat(late.observed()).isEqualTo("not for GBR (FRA: 5.0 s ago, GBR: 120.0 s ago)");
        assertThat(FederationRecords.recentHeartbeats("w", at, List.of("DEU", "ITA"), w, NOW).observed()).isEqualTo("not for DEU and ITA (DEU: never, ITA: never)");
    }
}
