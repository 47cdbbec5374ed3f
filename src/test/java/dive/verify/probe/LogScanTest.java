package dive.verify.probe;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogScanTest {
    @Test
    void findsEachForbiddenLineOfTheContract() {
        Map<String, List<String>> logs = Map.of(
                "backend-fra", List.of(
                        "2026-01-27 warn: OPAL_AUTH_MASTER_TOKEN not set - OPAL token generation will fail",
                        "warn: DATABASE_URL not configured - PostgreSQL audit persistence disabled",
                        "warn: MongoDB not PRIMARY yet (attempt 1/5), retrying in 2000ms...",
                        "error: MongoServerError: not primary",
                        "warn: SPOKE_TOKEN environment variable is required for spoke mode. Register the spoke first."),
                "redis-fra", List.of("# Warning: no config file specified, using the default config. In order to specify..."));
        var matches = LogScan.forbidden(logs, LogScan.FORBIDDEN, List.of("SPOKE_TOKEN missing"));
        assertThat(matches).extracting(LogScan.Match::rule).containsExactlyInAnyOrder(
                "OPAL master token missing", "DATABASE_URL missing", "MongoDB not primary", "Redis default config");
        assertThat(LogScan.evidence(matches, 2).observed()).contains("backend-fra:4 [MongoDB not primary]");
    }

    @Test
    void theFinalRetryAttemptIsNotExcused() {
        var m = LogScan.forbidden(Map.of("b", List.of("MongoDB not PRIMARY yet (attempt 5/5), retrying in 32000ms...")),
                LogScan.FORBIDDEN, List.of());
        assertThat(m).hasSize(1);
    }

    @Test
    void cleanLogsPass() {
        assertThat(LogScan.evidence(LogScan.forbidden(Map.of("a", List.of("ready")), LogScan.FORBIDDEN, List.of()), 1).ok()).isTrue();
    }
}
