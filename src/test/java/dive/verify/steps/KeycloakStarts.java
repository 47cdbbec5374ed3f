package dive.verify.steps;

import dive.verify.bench.Spread;
import dive.verify.deploy.Deployment;
import dive.verify.deploy.Timing;
import dive.verify.template.ServiceSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * How long Keycloak took to become ready in this run's own deployments, printed when the run ends. Keycloak's
 * start is CPU-bound and the longest on every deployment's critical path, so it says how fast the machine was
 * during the run: the whole suite's time moves with it (on this two-core machine, 2026-12-01: 8:25 minutes at a
 * median of 9.9 s, 9:56 at 11.7 s, 13:14 at 14 to 20 s). A figure to read a run's time by, never asserted.
 */
final class KeycloakStarts {
    private static final List<Double> SECONDS = new ArrayList<>();

    private KeycloakStarts() {}

    /** Takes the Keycloak of a deployment the harness made itself (not one it reused or attached to). */
    static synchronized void record(Deployment d) {
        for (Timing t : d.timings()) {
            ServiceSpec spec = d.plan().services().get(t.what());
            if (spec != null && "keycloak".equals(spec.kind()) && "ready".equals(t.outcome())) {
                SECONDS.add(t.duration().toMillis() / 1000.0);
            }
        }
    }

    /** One line: how many starts, and min / median / max to ready; empty when no deployment started a Keycloak. */
    static synchronized String summary() {
        if (SECONDS.isEmpty()) return "";
        return "[dive-verify] Keycloak became ready in " + SECONDS.size() + " deployments of this run (in process; harness processes "
                + "not counted): " + Spread.of(SECONDS).format("s") + " (min / median / max). The suite's time moves with this "
                + "figure (README, \"What a run costs\")";
    }
}
