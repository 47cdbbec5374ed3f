package dive.verify.steps;

import dive.verify.deploy.Deployment;
import dive.verify.deploy.Timing;
import dive.verify.template.ServiceSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * How long Keycloak took to become ready in this run's own deployments, printed when the run ends. Keycloak's
 * start is CPU-bound and the longest on every deployment's critical path, so it says how fast the machine was
 * during the run: the whole suite's time moves with it (on this two-core machine 9.3 to 9.9 minutes when it
 * takes 10 to 13 s, 11 to 13 minutes at 14 to 20 s). A figure to read a run's time by, never asserted.
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
        List<Double> s = SECONDS.stream().sorted().toList();
        return String.format("[dive-verify] Keycloak became ready in %d deployments of this run (in process; harness processes "
                        + "not counted): %.1f / %.1f / %.1f s (min / median / max). The suite's time moves with this figure "
                        + "(README, \"What a run costs\")", s.size(), s.get(0), s.get(s.size() / 2), s.get(s.size() - 1));
    }
}
