package dive.verify.template;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The order in which the services of one stage start, from their
 * {@code depends_on}: a service starts only once each dependency of its own
 * stage reached its condition; dependencies of earlier stages are ready
 * before the stage begins, so they are not waited for again. Services without
 * a dependency between them keep the file's order (and start in parallel).
 */
public final class DependencyOrder {
    private DependencyOrder() {}

    /**
     * One service of a stage, in start order: it starts once each of {@code waits}
     * (a dependency of the same stage → its condition) is met.
     */
    public record Start(String service, Map<String, String> waits) {}

    /** The start order of one stage's services (given in file order). */
    public static List<Start> forStage(List<ServiceSpec> stage) {
        Map<String, Map<String, String>> deps = new LinkedHashMap<>();
        for (ServiceSpec s : stage) deps.put(s.key(), s.dependsOn());
        return order(deps);
    }

    /**
     * The start order of services (in file order) with their {@code depends_on} (dependency → condition); dependencies
     * that are not among them are taken as met.
     *
     * @throws IllegalArgumentException when they depend on each other in a cycle, naming it
     */
    public static List<Start> order(Map<String, ? extends Map<String, String>> dependsOn) {
        Map<String, Collection<String>> graph = new LinkedHashMap<>();
        dependsOn.forEach((s, d) -> graph.put(s, d.keySet()));
        cycle(graph).ifPresent(c -> {
            throw new IllegalArgumentException("depends_on forms a cycle: " + String.join(" → ", c));
        });
        List<Start> out = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (placed.size() < dependsOn.size()) {
            for (var e : dependsOn.entrySet()) {
                if (placed.contains(e.getKey())) continue;
                Map<String, String> waits = new LinkedHashMap<>();
                boolean ready = true;
                for (var d : e.getValue().entrySet()) {
                    if (!dependsOn.containsKey(d.getKey())) continue; // of an earlier stage: ready already
                    if (!placed.contains(d.getKey())) { ready = false; break; }
                    waits.put(d.getKey(), d.getValue());
                }
                if (ready) {
                    placed.add(e.getKey());
                    out.add(new Start(e.getKey(), waits));
                    break; // from the top again: file order among the ones that can go
                }
            }
        }
        return out;
    }

    /**
     * A dependency cycle, if there is one: its services from the first one (in the given order) back to it, e.g.
     * {@code [a, b, a]}. Edges to services that are not keys of {@code graph} are left out.
     */
    public static Optional<List<String>> cycle(Map<String, ? extends Collection<String>> graph) {
        Set<String> done = new LinkedHashSet<>();
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> c = visit(start, graph, path, done);
            if (c.isPresent()) return c;
        }
        return Optional.empty();
    }

    private static Optional<List<String>> visit(String node, Map<String, ? extends Collection<String>> graph, List<String> path,
                                                Set<String> done) {
        int at = path.indexOf(node);
        if (at >= 0) {
            List<String> c = new ArrayList<>(path.subList(at, path.size()));
            c.add(node);
            return Optional.of(c);
        }
        if (done.contains(node) || !graph.containsKey(node)) return Optional.empty();
        path.add(node);
        for (String next : graph.get(node)) {
            Optional<List<String>> c = visit(next, graph, path, done);
            if (c.isPresent()) return c;
        }
        path.remove(path.size() - 1);
        done.add(node);
        return Optional.empty();
    }
}
