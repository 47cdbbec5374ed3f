package dive.verify.deploy;

import com.github.dockerjava.api.exception.NotFoundException;
import dive.verify.template.HealthcheckSpec;
import dive.verify.template.ServiceSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's word at the end of a deployment. Services were declared ready
 * when their own health command first passed ({@link HealthCommand}); before the
 * deployment is called complete, the engine's health check must say healthy too,
 * so that everything that reads the engine's status afterwards (the checks, an
 * operator's {@code docker ps}) sees what the deployment claimed. Only the last
 * services to start usually wait here, for at most one interval.
 */
final class EngineHealth {
    private static final Duration GRACE = Duration.ofSeconds(5);

    private EngineHealth() {}

    /** Waits until the engine calls each health-checked service healthy; returns those it did not, with what it said. */
    static List<ServiceFailure> awaitAgreement(Deployment deployment, List<ServiceSpec> services, Progress progress) {
        Map<ServiceSpec, Instant> waiting = new LinkedHashMap<>();
        Instant start = Instant.now();
        for (ServiceSpec s : services) {
            HealthcheckSpec hc = s.healthcheck();
            if (hc == null || s.oneShot() || !HealthCommand.enabled()) continue;
            Duration interval = hc.interval() == null ? HealthcheckSpec.DEFAULT_INTERVAL : hc.interval();
            Duration timeout = hc.timeout() == null ? HealthcheckSpec.DEFAULT_TIMEOUT : hc.timeout();
            waiting.put(s, start.plus(interval).plus(timeout).plus(GRACE));
        }
        List<ServiceFailure> failures = new ArrayList<>();
        while (!waiting.isEmpty() && !SignalGuard.requested()) {
            for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                ServiceSpec s = e.getKey();
                String health;
                try {
                    var st = Docker.client().inspectContainerCmd(deployment.containerId(s.key())).exec().getState();
                    health = st.getHealth() == null ? "none" : st.getHealth().getStatus();
                } catch (NotFoundException gone) {
                    health = "gone";
                }
                if ("healthy".equals(health)) {
                    it.remove();
                } else if ("unhealthy".equals(health) || "gone".equals(health) || Instant.now().isAfter(e.getValue())) {
                    it.remove();
                    failures.add(new ServiceFailure(s.key(), s.stage(), "its health command passed, but the engine's own health check "
                            + "said " + health + " within " + Duration.between(start, e.getValue()).toSeconds() + " s", List.of(), null));
                }
            }
            if (!waiting.isEmpty()) sleep(HealthCommand.EVERY);
        }
        Duration took = Duration.between(start, Instant.now());
        if (took.toMillis() >= 100 && failures.isEmpty()) {
            progress.say(String.format("the engine confirmed every service healthy %.1f s later", took.toMillis() / 1000.0));
        }
        return failures;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
