package dive.verify.template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A loaded compose file: the services in file order, the networks and named
 * volumes it declares, and the stages derived from the services' labels.
 */
public record DeploymentPlan(
        String project,
        Path source,
        Map<String, ServiceSpec> services,
        Map<String, NetworkSpec> networks,
        Map<String, VolumeSpec> volumes,
        java.util.Set<String> unsetVariables) {

    public record NetworkSpec(String key, String name, boolean external, boolean internal) {}

    public record VolumeSpec(String key, String name, boolean external) {}

    /** Stage numbers in start order. */
    public List<Integer> stages() {
        return new ArrayList<>(services.values().stream().filter(ServiceSpec::staged)
                .map(ServiceSpec::stage).collect(Collectors.toCollection(TreeSet::new)));
    }

    public List<ServiceSpec> servicesOfStage(int stage) {
        return services.values().stream().filter(s -> s.stage() == stage).toList();
    }

    /** Services the template declares but places in no stage. */
    public List<ServiceSpec> unstaged() {
        return services.values().stream().filter(s -> !s.staged()).toList();
    }

    /**
     * This plan reduced to one service, under project {@code project + suffix}
     * with one network {@code internal} of that name: a variant of the service
     * that runs beside the whole deployment (its own project name, so nothing
     * it creates clashes with the healthy deployment's).
     */
    public DeploymentPlan alone(String serviceKey, String projectSuffix) {
        String p = project + projectSuffix;
        return new DeploymentPlan(p, source, Map.of(serviceKey, service(serviceKey)),
                Map.of("internal", new NetworkSpec("internal", p, false, false)), volumes, unsetVariables);
    }

    public ServiceSpec service(String key) {
        ServiceSpec s = services.get(key);
        if (s == null) throw new IllegalArgumentException("no service \"" + key + "\" in " + source + "; services are " + services.keySet());
        return s;
    }
}
