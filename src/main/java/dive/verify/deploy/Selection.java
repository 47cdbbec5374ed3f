package dive.verify.deploy;

import dive.verify.template.DeploymentPlan;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which services of a plan a deployment creates: all of them, or the ones asked
 * for with every service they depend on, directly or not (a service cannot
 * start without its dependencies). Pure: the plan decides, not the engine.
 */
final class Selection {
    private Selection() {}

    /**
     * @param only the services asked for; null selects every service
     * @return the selected services in the plan's (file) order, whatever the order they were asked in
     * @throws IllegalArgumentException naming a service the plan does not have
     */
    static Set<String> of(DeploymentPlan plan, Collection<String> only) {
        if (only == null) return new LinkedHashSet<>(plan.services().keySet());
        for (String s : only) plan.service(s); // names the unknown one
        Set<String> wanted = new HashSet<>(only);
        Deque<String> toVisit = new ArrayDeque<>(only);
        while (!toVisit.isEmpty()) {
            for (String d : plan.service(toVisit.pop()).dependsOn().keySet()) {
                if (wanted.add(d)) toVisit.push(d);
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String key : plan.services().keySet()) if (wanted.contains(key)) out.add(key);
        return out;
    }
}
