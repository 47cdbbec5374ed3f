package dive.verify.deploy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.HealthStateLog;
import dive.verify.template.ServiceSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Waits until a started service is ready: healthy (Docker healthcheck),
 * running (no healthcheck) or exited 0 (one-shot). It fails fast: a
 * container that exits, restarts, is OOM-killed or turns unhealthy ends the
 * wait at once, with its last log lines and health-check output; only a
 * service still "starting" runs into its budget.
 */
final class ReadinessWait {
    static final int TAIL = 30;
    private static final Duration POLL = Duration.ofMillis(400);

    private ReadinessWait() {}

    /** @return null when ready, otherwise the failure with evidence. */
    static ServiceFailure await(ServiceHandle c, Instant deadline, String budget, java.util.function.BooleanSupplier interrupted) {
        ServiceSpec spec = c.spec();
        String id = c.containerId();
        while (true) {
            if (interrupted.getAsBoolean()) {
                return failure(c, "interrupted while waiting", null);
            }
            String fatal = c.log().fatalLine();
            if (fatal != null) {
                String meaning = spec.labels().getOrDefault(ServiceSpec.FATAL_REASON_LABEL, "logged a fatal line");
                return failure(c, meaning + " — it logged: " + fatal, null);
            }
            InspectContainerResponse inspect;
            try {
                inspect = Docker.client().inspectContainerCmd(id).exec();
            } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                return failure(c, "container disappeared while starting (removed by someone else?)", null);
            }
            var state = inspect.getState();
            Integer restarts = inspect.getRestartCount();
            if (Boolean.TRUE.equals(state.getOOMKilled())) {
                return failure(c, "was OOM-killed (out of memory)", health(inspect));
            }
            if (restarts != null && restarts > 0) {
                return failure(c, "restarted " + restarts + " time(s); last exit code " + state.getExitCodeLong(), health(inspect));
            }
            boolean running = Boolean.TRUE.equals(state.getRunning());
            if (!running && !"created".equals(state.getStatus())) {
                Long exit = state.getExitCodeLong();
                if (spec.oneShot() && exit != null && exit == 0) return null;
                return failure(c, "exited with code " + exit + (spec.oneShot() ? " (one-shot service must exit 0)" : ""), health(inspect));
            }
            if (running && !spec.oneShot()) {
                if (spec.healthcheck() == null) return null;
                String status = state.getHealth() == null ? null : state.getHealth().getStatus();
                if ("healthy".equals(status)) return null;
                if ("unhealthy".equals(status)) {
                    return failure(c, "became unhealthy (" + spec.healthcheck().retries() + " failed health checks in a row)", health(inspect));
                }
            }
            if (Instant.now().isAfter(deadline)) {
                String what = spec.oneShot() ? "did not finish" : spec.healthcheck() != null ? "was not healthy" : "was not running";
                return failure(c, what + " within " + budget
                        + (spec.healthcheck() != null ? " (health: " + (state.getHealth() == null ? "none" : state.getHealth().getStatus()) + ")" : ""),
                        health(inspect));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failure(c, "interrupted while waiting", health(inspect));
            }
        }
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
