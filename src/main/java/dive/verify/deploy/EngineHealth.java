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
 * The engine's word after a deployment. Services were declared ready when their
 * own health command first passed ({@link HealthCommand}); the engine runs the
 * same command at its interval, so it says healthy up to one interval later
 * (Docker 20.10 has no {@code start_interval}). This watch runs in the
 * background ({@link Deployment#watchEngineAgreement}) and the checks that read
 * the engine's status wait for it, so they see what the deployment claimed, and
 * a command that passed for the deployer but not for the engine is named.
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
        while (!waiting.isEmpty() && !SignalGuard.requested() && !deployment.closing()) {
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
        if (deployment.closing()) return failures;
        Duration took = Duration.between(start, Instant.now());
        if (!failures.isEmpty()) {
            progress.say("WARNING: the engine did not confirm " + failures.stream().map(ServiceFailure::service).toList()
                    + " healthy: " + failures.get(0).reason());
        } else if (took.toMillis() >= 100) {
            progress.say(String.format("the engine's own health checks agreed %.1f s after the services were ready", took.toMillis() / 1000.0));
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
