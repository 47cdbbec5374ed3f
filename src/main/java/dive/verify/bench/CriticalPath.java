package dive.verify.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shortest a deployment could take if every service started the moment
 * what it depends on was ready: the longest chain of services' own times to
 * ready along {@code depends_on}. No deployer can beat it on the same images;
 * how far one stays above it is what its scheduling costs.
 */
public record CriticalPath(Duration total, List<String> chain) {

    /**
     * @param ownReady  each service's own time from its start to ready
     * @param dependsOn each service's dependencies (services missing from {@code ownReady} are ignored: not deployed)
     */
    public static CriticalPath of(Map<String, Duration> ownReady, Map<String, ? extends Set<String>> dependsOn) {
        Map<String, Duration> finish = new HashMap<>();
        Map<String, String> via = new HashMap<>();
        String last = null;
        for (String s : ownReady.keySet()) {
            finishOf(s, ownReady, dependsOn, finish, via, new java.util.HashSet<>());
            if (last == null || finish.get(s).compareTo(finish.get(last)) > 0) last = s;
        }
        if (last == null) return new CriticalPath(Duration.ZERO, List.of());
        List<String> chain = new ArrayList<>();
        for (String s = last; s != null; s = via.get(s)) chain.add(s);
        Collections.reverse(chain);
        return new CriticalPath(finish.get(last), List.copyOf(chain));
    }

    private static Duration finishOf(String s, Map<String, Duration> own, Map<String, ? extends Set<String>> deps,
                                     Map<String, Duration> finish, Map<String, String> via, Set<String> visiting) {
        Duration known = finish.get(s);
        if (known != null) return known;
        if (!visiting.add(s)) throw new IllegalArgumentException("depends_on forms a cycle through " + s);
        Duration start = Duration.ZERO;
        Set<String> ds = deps.get(s);
        for (String d : ds == null ? Set.<String>of() : ds) {
            if (!own.containsKey(d)) continue;
            Duration f = finishOf(d, own, deps, finish, via, visiting);
            if (f.compareTo(start) > 0) {
                start = f;
                via.put(s, d);
            }
        }
        Duration f = start.plus(own.get(s));
        finish.put(s, f);
        return f;
    }

    public String describe() {
        return String.format("%.1f s (%s)", total.toMillis() / 1000.0, String.join(" → ", chain));
    }
}
