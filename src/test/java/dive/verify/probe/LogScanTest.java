package dive.verify.probe;

import dive.verify.deploy.ContainerLog;
import org.junit.jupiter.api.Test;

import java.time.Instant;
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

    // ------------------------------------------------------------ "except SPOKE_TOKEN missing before registration"

    private static final String SPOKE_TOKEN_WARNING = "warn: SPOKE_TOKEN environment variable is required for spoke mode. Register the spoke first.";
    private static final Instant REGISTERED = Instant.parse("2026-01-27T10:00:00Z");

    private static ContainerLog.Line at(String time, String text) { return new ContainerLog.Line(Instant.parse(time), text); }

    @Test
    void aSpokeTokenWarningBeforeTheRegistrationIsAllowed() {
        var logs = Map.of("backend-fra", List.of(
                at("2026-01-27T09:58:00Z", "starting"),
                at("2026-01-27T09:59:59.999Z", SPOKE_TOKEN_WARNING)));
        assertThat(LogScan.forbidden(logs, LogScan.FORBIDDEN, List.of("SPOKE_TOKEN missing"), REGISTERED)).isEmpty();
    }

    @Test
    void aSpokeTokenWarningAfterTheRegistrationIsReported() {
        var logs = Map.of("backend-fra", List.of(
                at("2026-01-27T09:58:00Z", SPOKE_TOKEN_WARNING),
                at("2026-01-27T10:00:01Z", SPOKE_TOKEN_WARNING)));
        var matches = LogScan.forbidden(logs, LogScan.FORBIDDEN, List.of("SPOKE_TOKEN missing"), REGISTERED);
        assertThat(matches).hasSize(1);
        LogScan.Match m = matches.get(0);
        assertThat(m.lineNumber()).as("the line after the registration, not the one before").isEqualTo(2);
        assertThat(m.rule()).isEqualTo("SPOKE_TOKEN missing");
        var e = LogScan.evidence(matches, 1);
        assertThat(e.ok()).isFalse();
        assertThat(e.observed()).contains("backend-fra:2 [SPOKE_TOKEN missing] " + SPOKE_TOKEN_WARNING
                + " (written 2026-01-27T10:00:01Z, after the registration at 2026-01-27T10:00:00Z)");
    }

    @Test
    void aWarningWrittenAtTheRegistrationInstantIsNotBeforeIt() {
        var logs = Map.of("backend-fra", List.of(at("2026-01-27T10:00:00Z", SPOKE_TOKEN_WARNING)));
        assertThat(LogScan.forbidden(logs, LogScan.FORBIDDEN, List.of("SPOKE_TOKEN missing"), REGISTERED)).hasSize(1);
    }

    @Test
    void withoutRegistrationTheWholeLogIsBeforeIt() {
        var logs = Map.of("backend-fra", List.of(at("2030-01-01T00:00:00Z", SPOKE_TOKEN_WARNING)));
        assertThat(LogScan.forbidden(logs, LogScan.FORBIDDEN, List.of("SPOKE_TOKEN missing"), null)).isEmpty();
    }

    @Test
    void onlyTheNamedRuleIsExcusedAndOnlyBeforeRegistration() {
        var logs = Map.of("backend-fra", List.of(
                at("2026-01-27T09:00:00Z", "warn: DATABASE_URL not configured - PostgreSQL audit persistence disabled"),
                at("2026-01-27T09:00:01Z", SPOKE_TOKEN_WARNING)));
        var matches = LogScan.forbidden(logs, LogScan.FORBIDDEN, List.of("SPOKE_TOKEN missing"), REGISTERED);
        assertThat(matches).extracting(LogScan.Match::rule).containsExactly("DATABASE_URL missing");
        assertThat(matches.get(0).note()).as("a rule that is never excused needs no note").isNull();
        assertThat(LogScan.forbidden(logs, LogScan.FORBIDDEN, List.of(), null)).as("nothing excused")
                .extracting(LogScan.Match::rule).containsExactly("DATABASE_URL missing", "SPOKE_TOKEN missing");
    }

    @Test
    void theMongoRetryLineIsExcusedWhateverItsTime() {
        var logs = Map.of("b", List.of(at("2026-01-27T11:00:00Z", "MongoDB not PRIMARY yet (attempt 2/5), retrying in 4000ms...")));
        assertThat(LogScan.forbidden(logs, LogScan.FORBIDDEN, List.of(), REGISTERED)).isEmpty();
    }
}
