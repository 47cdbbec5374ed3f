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
    private static final Duration POLL = Duration.ofMillis(400);

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
        ServiceSpec spec = c.spec();
        boolean wantsHealth = spec.healthcheck() != null || healthyByImage;
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
                if (!wantsHealth) return null;
                String status = state.getHealth() == null ? null : state.getHealth().getStatus();
                if ("healthy".equals(status)) return null;
                if ("unhealthy".equals(status)) {
                    return failure(c, "became unhealthy (" + (spec.healthcheck() != null ? spec.healthcheck().retries()
                            + " failed health checks in a row)" : "its image's healthcheck)"), health(inspect));
                }
                if (status == null && spec.healthcheck() == null) {
                    return failure(c, "has no healthcheck, neither in the file nor in its image, so it can never be healthy, "
                            + "but a service depends on it with condition service_healthy", null);
                }
            }
            if (Instant.now().isAfter(deadline)) {
                String what = spec.oneShot() ? "did not finish" : wantsHealth ? "was not healthy" : "was not running";
                return failure(c, what + " within " + budget
                        + (wantsHealth ? " (health: " + (state.getHealth() == null ? "none" : state.getHealth().getStatus()) + ")" : ""),
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
