package dive.verify.deploy;

import dive.verify.deploy.Readiness.Cause;
import dive.verify.deploy.Readiness.Observation;
import dive.verify.template.ComposeLoader;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every readiness rule of the deployer, decided from observations alone: no engine. */
class ReadinessTest {
    @TempDir static Path dir;
    static ServiceSpec healthChecked, plain, oneShot, fatalLabelled;

    @BeforeAll
    static void specs() throws IOException {
        Path f = dir.resolve("compose.yml");
        Files.writeString(f, """
                services:
                  db:
                    image: x
                    healthcheck: {test: ["CMD", "true"], interval: 1s, retries: 7}
                    labels: {dive.deploy.stage: "1"}
                  web:
                    image: x
                    labels: {dive.deploy.stage: "1"}
                  init:
                    image: x
                    labels: {dive.deploy.stage: "1", dive.deploy.one-shot: "true"}
                  opal:
                    image: x
                    labels: {dive.deploy.stage: "1", dive.deploy.fatal-log-reason: "the OPAL client is not authenticated"}
                """);
        DeploymentPlan p = ComposeLoader.load(f, Map.of());
        healthChecked = p.service("db");
        plain = p.service("web");
        oneShot = p.service("init");
        fatalLabelled = p.service("opal");
    }

    private static Observation running(String health) { return new Observation(true, "running", null, false, 0, health, null); }

    private static Readiness.Decision judge(ServiceSpec s, Observation o) { return Readiness.judge(s, o, false, false, false, "its budget of 9 s"); }

    @Test
    void theOwnHealthCommandPassingIsReadyBeforeTheEngineLooks() {
        assertThat(judge(healthChecked, running("starting").withHealthCommandPassed()).ready()).isTrue();
        // without a healthcheck in the file there is no command of ours to run: the image's check (the engine) decides
        assertThat(Readiness.judge(plain, running("starting").withHealthCommandPassed(), true, false, false, "b").waiting()).isTrue();
        // a fatal line, a restart or an exit still fail, whatever the command said
        var fatal = new Observation(true, "running", null, false, 0, "starting", "boom").withHealthCommandPassed();
        assertThat(judge(healthChecked, fatal).cause()).isEqualTo(Cause.FATAL_LOG_LINE);
        var restarted = new Observation(true, "running", 1L, false, 1, "starting", null).withHealthCommandPassed();
        assertThat(judge(healthChecked, restarted).cause()).isEqualTo(Cause.RESTARTED);
    }

    @Test
    void healthyIsReadyStartingWaitsUnhealthyFailsAtOnce() {
        assertThat(judge(healthChecked, running("healthy")).ready()).isTrue();
        assertThat(judge(healthChecked, running("starting")).waiting()).isTrue();
        var d = judge(healthChecked, running("unhealthy"));
        assertThat(d.cause()).isEqualTo(Cause.UNHEALTHY);
        assertThat(d.reason()).isEqualTo("became unhealthy (7 failed health checks in a row)");
    }

    @Test
    void withoutAHealthcheckRunningIsReady() {
        assertThat(judge(plain, running(null)).ready()).isTrue();
        assertThat(judge(plain, new Observation(false, "created", null, false, 0, null, null)).waiting()).as("created, not yet running").isTrue();
    }

    @Test
    void anExitARestartOrAnOomKillFailsAtOnceNamingIt() {
        assertThat(judge(healthChecked, new Observation(false, "exited", 3L, false, 0, "starting", null)).reason()).isEqualTo("exited with code 3");
        var r = judge(healthChecked, new Observation(true, "running", 1L, false, 2, "starting", null));
        assertThat(r.cause()).isEqualTo(Cause.RESTARTED);
        assertThat(r.reason()).isEqualTo("restarted 2 time(s); last exit code 1");
        assertThat(judge(plain, new Observation(false, "exited", 137L, true, 0, null, null)).cause()).as("OOM before exit").isEqualTo(Cause.OOM_KILLED);
        assertThat(judge(plain, Observation.gone()).cause()).isEqualTo(Cause.DISAPPEARED);
    }

    @Test
    void aOneShotServiceIsReadyWhenItExitsZeroAndFailsOtherwise() {
        assertThat(judge(oneShot, new Observation(false, "exited", 0L, false, 0, null, null)).ready()).isTrue();
        assertThat(judge(oneShot, new Observation(false, "exited", 1L, false, 0, null, null)).reason())
                .isEqualTo("exited with code 1 (one-shot service must exit 0)");
        assertThat(judge(oneShot, running(null)).waiting()).as("a one-shot still running is not ready").isTrue();
    }

    @Test
    void theDeadlineEndsOnlyAWaitAndNamesTheBudgetAndHealth() {
        var d = Readiness.judge(healthChecked, running("starting"), false, false, true, "its start budget of 90 s");
        assertThat(d.cause()).isEqualTo(Cause.DEADLINE);
        assertThat(d.reason()).isEqualTo("was not healthy within its start budget of 90 s (health: starting)");
        assertThat(Readiness.judge(healthChecked, running("healthy"), false, false, true, "b").ready()).as("ready beats the deadline").isTrue();
        assertThat(Readiness.judge(oneShot, running(null), false, false, true, "b").reason()).startsWith("did not finish within b");
        assertThat(Readiness.judge(plain, new Observation(false, "created", null, false, 0, null, null), false, false, true, "b").reason())
                .isEqualTo("was not running within b");
    }

    @Test
    void aFatalLogLineOrAnInterruptionEndsTheWaitWithItsMeaning() {
        var f = judge(fatalLabelled, new Observation(true, "running", null, false, 0, null, "rejected WebSocket connection: HTTP 403"));
        assertThat(f.cause()).isEqualTo(Cause.FATAL_LOG_LINE);
        assertThat(f.reason()).isEqualTo("the OPAL client is not authenticated — it logged: rejected WebSocket connection: HTTP 403");
        assertThat(Readiness.judge(healthChecked, running("healthy"), false, true, false, "b").cause()).as("interruption first").isEqualTo(Cause.INTERRUPTED);
    }

    @Test
    void aServiceThatMustBeHealthyByItsImageNeedsAnImageHealthcheck() {
        assertThat(Readiness.judge(plain, running(null), true, false, false, "b").cause()).isEqualTo(Cause.NO_HEALTHCHECK);
        assertThat(Readiness.judge(plain, running("healthy"), true, false, false, "b").ready()).isTrue();
        assertThat(Readiness.judge(plain, running("starting"), true, false, false, "b").waiting()).isTrue();
    }
}
