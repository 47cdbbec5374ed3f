package dive.verify.deploy;

import dive.verify.template.ServiceSpec;

/**
 * The readiness decision for one started service, made from what the engine
 * reported about its container: pure, so every rule is unit-tested without an
 * engine ({@link ReadinessWait} only gathers the observation and loops).
 * A service is ready when healthy (Docker healthcheck), running (no
 * healthcheck) or exited 0 (one-shot); it fails at once when it exits,
 * restarts, is OOM-killed, turns unhealthy or logs a fatal line; only a
 * service still starting waits, until its deadline.
 */
public final class Readiness {
    private Readiness() {}

    /** What the engine (and the service's log) said at one look. */
    public record Observation(boolean running, String status, Long exitCode, boolean oomKilled, int restarts,
                              String health, String fatalLine, boolean healthCommandPassed) {
        public Observation(boolean running, String status, Long exitCode, boolean oomKilled, int restarts, String health, String fatalLine) {
            this(running, status, exitCode, oomKilled, restarts, health, fatalLine, false);
        }

        /** A container the engine knows nothing of any more. */
        public static Observation gone() { return new Observation(false, "gone", null, false, 0, null, null); }

        /**
         * The service's own health-check command, run by the harness in its container, passed: what the engine's next
         * check will see, noticed now instead of at the engine's interval.
         */
        public Observation withHealthCommandPassed() {
            return new Observation(running, status, exitCode, oomKilled, restarts, health, fatalLine, true);
        }
    }

    /** Why a wait ended without the service being ready. */
    public enum Cause { INTERRUPTED, FATAL_LOG_LINE, DISAPPEARED, OOM_KILLED, RESTARTED, EXITED, UNHEALTHY, NO_HEALTHCHECK, DEADLINE }

    /** The decision: ready, keep waiting, or failed with a cause and the words for the report. */
    public record Decision(boolean ready, Cause cause, String reason) {
        static final Decision READY = new Decision(true, null, null);
        static final Decision WAIT = new Decision(false, null, null);

        public boolean waiting() { return !ready && cause == null; }

        static Decision failed(Cause cause, String reason) { return new Decision(false, cause, reason); }
    }

    /**
     * @param healthyByImage the service has no healthcheck in the file but must be healthy (another depends on it with
     *                       condition service_healthy): its image's healthcheck decides
     * @param pastDeadline   the service's budget has run out
     * @param budget         how the budget is named in the report (e.g. "its start budget of 90 s")
     */
    public static Decision judge(ServiceSpec spec, Observation o, boolean healthyByImage, boolean interrupted, boolean pastDeadline,
                                 String budget) {
        boolean wantsHealth = spec.healthcheck() != null || healthyByImage;
        if (interrupted) return Decision.failed(Cause.INTERRUPTED, "interrupted while waiting");
        if (o.fatalLine() != null) {
            String meaning = spec.labels().getOrDefault(ServiceSpec.FATAL_REASON_LABEL, "logged a fatal line");
            return Decision.failed(Cause.FATAL_LOG_LINE, meaning + " — it logged: " + o.fatalLine());
        }
        if ("gone".equals(o.status())) return Decision.failed(Cause.DISAPPEARED, "container disappeared while starting (removed by someone else?)");
        if (o.oomKilled()) return Decision.failed(Cause.OOM_KILLED, "was OOM-killed (out of memory)");
        if (o.restarts() > 0) return Decision.failed(Cause.RESTARTED, "restarted " + o.restarts() + " time(s); last exit code " + o.exitCode());
        if (!o.running() && !"created".equals(o.status())) {
            if (spec.oneShot() && o.exitCode() != null && o.exitCode() == 0) return Decision.READY;
            return Decision.failed(Cause.EXITED, "exited with code " + o.exitCode() + (spec.oneShot() ? " (one-shot service must exit 0)" : ""));
        }
        if (o.running() && !spec.oneShot()) {
            if (!wantsHealth) return Decision.READY;
            if ("healthy".equals(o.health())) return Decision.READY;
            // the same command the engine runs, passing once: the engine marks a container healthy on one pass too
            if (o.healthCommandPassed() && spec.healthcheck() != null) return Decision.READY;
            if ("unhealthy".equals(o.health())) {
                return Decision.failed(Cause.UNHEALTHY, "became unhealthy (" + (spec.healthcheck() != null ? spec.healthcheck().retries()
                        + " failed health checks in a row)" : "its image's healthcheck)"));
            }
            if (o.health() == null && spec.healthcheck() == null) {
                return Decision.failed(Cause.NO_HEALTHCHECK, "has no healthcheck, neither in the file nor in its image, so it can never be "
                        + "healthy, but a service depends on it with condition service_healthy");
            }
        }
        if (pastDeadline) {
            String what = spec.oneShot() ? "did not finish" : wantsHealth ? "was not healthy" : "was not running";
            return Decision.failed(Cause.DEADLINE, what + " within " + budget + (wantsHealth ? " (health: " + (o.health() == null ? "none" : o.health()) + ")" : ""));
        }
        return Decision.WAIT;
    }
}
