package dive.verify.deploy;

import com.github.dockerjava.api.model.Container;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Verifying what another tool deployed (DIVE's own scripts, docker-compose,
 * tomorrow Helm): the running containers of a compose project are found by
 * the compose labels of the operator's own file, taken over for reading (logs
 * from their first line, health, exec for probes) and never created,
 * restarted or removed. A declared service without a container stays
 * missing, so the checks name it exactly as for a deployment of the harness.
 */
public final class Attach {
    public static final String COMPOSE_PROJECT = "com.docker.compose.project";
    public static final String COMPOSE_SERVICE = "com.docker.compose.service";

    private Attach() {}

    /** A container of the project: id, service, state, and when it started (to prove nothing was touched). */
    public record Seen(String service, String id, String state, String startedAt) {}

    /** The project's containers as the engine reports them, by service. */
    public static Map<String, Seen> containers(String project) {
        Map<String, Seen> out = new LinkedHashMap<>();
        List<Container> list = Docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(COMPOSE_PROJECT, project)).exec();
        for (Container c : list) {
            String started = Docker.client().inspectContainerCmd(c.getId()).exec().getState().getStartedAt();
            out.put(c.getLabels().get(COMPOSE_SERVICE), new Seen(c.getLabels().get(COMPOSE_SERVICE), c.getId(), c.getState(), started));
        }
        return out;
    }

    /**
     * The host port on which a running container of the project publishes
     * {@code containerPort}, or null when it publishes none.
     */
    public static Integer hostPort(String containerId, int containerPort) {
        var bindings = Docker.client().inspectContainerCmd(containerId).exec().getNetworkSettings().getPorts().getBindings();
        for (var e : bindings.entrySet()) {
            if (e.getKey().getPort() == containerPort && e.getValue() != null) {
                for (var b : e.getValue()) {
                    if (b.getHostPortSpec() != null && !b.getHostPortSpec().isBlank()) return Integer.valueOf(b.getHostPortSpec());
                }
            }
        }
        return null;
    }

    /**
     * The logs of taken-over containers are read from their first line by a
     * follower thread; a log check right after attaching must see them whole,
     * so wait until no more lines arrive (three quiet polls, at most 10 s).
     */
    static void awaitLogsCaughtUp(Deployment d) {
        int[] last = {-1}, quiet = {0};
        try {
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(300)).until(() -> {
                int n = d.logs().values().stream().mapToInt(l -> { l.flush(); return l.lines().size(); }).sum();
                quiet[0] = n == last[0] ? quiet[0] + 1 : 0;
                last[0] = n;
                return quiet[0] >= 3;
            });
        } catch (ConditionTimeoutException stillWriting) {
            // a container that keeps logging: the checks read what arrived by now
        }
    }

    /**
     * Attaches to the running containers of compose project {@code project}
     * for the services of {@code plan} (the operator's file). Fails with one
     * line when the project has no container at all: there is nothing to verify.
     */
    public static Deployment to(DeploymentPlan plan, String project) {
        Map<String, Seen> running = containers(project);
        if (running.isEmpty()) {
            throw new IllegalStateException("compose project \"" + project + "\" has no container in the engine: nothing to attach to "
                    + "(deploy it first, or name the project the operator used: docker compose ls / docker-compose -p)");
        }
        Deployment d = new Deployment(plan, plan.services().keySet(), null, null);
        d.attachedTo(project);
        for (ServiceSpec s : plan.services().values()) {
            Seen c = running.get(s.key());
            if (c == null) continue; // declared but never created: the checks name it
            ContainerLog log = new ContainerLog(s.key(), RunContext.current().logDir().resolve("attached-" + project).resolve(s.key() + ".log"));
            d.add(new AdoptedService(s, c.id(), log));
        }
        awaitLogsCaughtUp(d);
        System.out.println("[dive-verify] attached to compose project " + project + ": " + running.keySet()
                + " (nothing will be created, restarted or removed)");
        return d;
    }
}
