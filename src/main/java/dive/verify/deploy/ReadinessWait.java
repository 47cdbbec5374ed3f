package dive.verify.deploy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.HealthStateLog;
import dive.verify.template.ServiceSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Waits until a started service is ready: healthy (Docker healthcheck),
 * running (no healthcheck) or exited 0 (one-shot). A service without a
 * healthcheck in the file that another waits for with condition
 * service_healthy must become healthy by its image's healthcheck. It fails fast: a
 * container that exits, restarts, is OOM-killed or turns unhealthy ends the
 * wait at once, with its last log lines and health-check output; only a
 * service still "starting" runs into its budget.
 */
final class ReadinessWait {
    static final int TAIL = 30;
    private static final Duration POLL = HealthCommand.EVERY;

    private ReadinessWait() {}

    /** @return null when ready, otherwise the failure with evidence. */
    static ServiceFailure await(ServiceHandle c, Instant deadline, String budget, java.util.function.BooleanSupplier interrupted) {
        return await(c, deadline, budget, interrupted, false);
    }

    /**
     * @param healthyByImage the service has no healthcheck in the file, but must be healthy (a service depends on it with
     *                       condition service_healthy): its image's healthcheck decides, and without one it never will be
     * @return null when ready, otherwise the failure with evidence.
     */
    static ServiceFailure await(ServiceHandle c, Instant deadline, String budget, java.util.function.BooleanSupplier interrupted,
                                boolean healthyByImage) {
        String id = c.containerId();
        HealthCommand own = HealthCommand.of(c.spec(), id);
        while (true) {
            InspectContainerResponse inspect = null;
            Readiness.Observation seen;
            try {
                inspect = Docker.client().inspectContainerCmd(id).exec();
                var state = inspect.getState();
                seen = new Readiness.Observation(Boolean.TRUE.equals(state.getRunning()), state.getStatus(), state.getExitCodeLong(),
                        Boolean.TRUE.equals(state.getOOMKilled()), inspect.getRestartCount() == null ? 0 : inspect.getRestartCount(),
                        state.getHealth() == null ? null : state.getHealth().getStatus(), c.log().fatalLine());
            } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                seen = Readiness.Observation.gone();
            }
            if (own != null && seen.running() && !"healthy".equals(seen.health()) && !"unhealthy".equals(seen.health()) && own.passesNow()) {
                seen = seen.withHealthCommandPassed();
            }
            Readiness.Decision d = Readiness.judge(c.spec(), seen, healthyByImage, interrupted.getAsBoolean(),
                    Instant.now().isAfter(deadline), budget);
            if (d.ready()) return null;
            if (!d.waiting()) return failure(c, d.reason(), evidence(inspect, own));
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failure(c, "interrupted while waiting", evidence(inspect, own));
            }
        }
    }

    /**
     * The health check's last word: the engine's, or, before the engine's first check (its interval may be longer
     * than the budget), what the harness's own run of the same command said.
     */
    private static String evidence(InspectContainerResponse inspect, HealthCommand own) {
        String engine = inspect == null ? null : health(inspect);
        if (engine != null || own == null || own.lastOutcome() == null) return engine;
        return own.lastOutcome() + " (the harness's run of the health command; the engine had not checked yet)";
    }

    private static String health(InspectContainerResponse inspect) {
        var h = inspect.getState().getHealth();
        if (h == null || h.getLog() == null || h.getLog().isEmpty()) return null;
        List<HealthStateLog> log = h.getLog();
        HealthStateLog last = log.get(log.size() - 1);
        return "exit " + last.getExitCodeLong() + ": " + (last.getOutput() == null ? "" : last.getOutput().strip());
    }

    static ServiceFailure failure(ServiceHandle c, String reason, String health) {
        c.log().flush();
        return new ServiceFailure(c.spec().key(), c.spec().stage(), reason, c.log().tail(TAIL),
                health == null ? null : dive.verify.report.Secrets.redact(health));
    }
}
