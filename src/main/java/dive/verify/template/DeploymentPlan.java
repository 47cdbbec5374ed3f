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
 * {@code inactive} holds the services left out because none of their compose
 * profiles is active (service → its profiles); they are not deployed.
 */
public record DeploymentPlan(
        String project,
        Path source,
        Map<String, ServiceSpec> services,
        Map<String, NetworkSpec> networks,
        Map<String, VolumeSpec> volumes,
        java.util.Set<String> unsetVariables,
        Map<String, List<String>> inactive) {

    public DeploymentPlan(String project, Path source, Map<String, ServiceSpec> services, Map<String, NetworkSpec> networks,
                          Map<String, VolumeSpec> volumes, java.util.Set<String> unsetVariables) {
        this(project, source, services, networks, volumes, unsetVariables, Map.of());
    }

    /** A top-level network; {@code labels} are set on it when it is created here. */
    public record NetworkSpec(String key, String name, boolean external, boolean internal, Map<String, String> labels) {
        public NetworkSpec(String key, String name, boolean external, boolean internal) {
            this(key, name, external, internal, Map.of());
        }

        /** Its name in the engine, as compose makes it: its own name; else its key when external, else PROJECT_KEY. */
        public String engineName(String project) {
            return engineNameOf(key, name, external, project);
        }
    }

    /** A top-level named volume; {@code labels} are set on it when it is created here. */
    public record VolumeSpec(String key, String name, boolean external, Map<String, String> labels) {
        public VolumeSpec(String key, String name, boolean external) {
            this(key, name, external, Map.of());
        }

        /** Its name in the engine, as compose makes it: its own name; else its key when external, else PROJECT_KEY. */
        public String engineName(String project) {
            return engineNameOf(key, name, external, project);
        }
    }

    private static String engineNameOf(String key, String name, boolean external, String project) {
        if (name != null) return name;
        return external ? key : project + "_" + key;
    }

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
     * Services another one waits for with condition service_healthy that have no healthcheck in the file: compose then
     * goes by the image's healthcheck, and so does the deployer (a service with neither never becomes healthy).
     */
    public java.util.Set<String> healthyByImage() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (ServiceSpec s : services.values()) {
            s.dependsOn().forEach((dep, condition) -> {
                ServiceSpec d = services.get(dep);
                if (condition.equals("service_healthy") && d != null && d.healthcheck() == null && !d.oneShot()) out.add(dep);
            });
        }
        return out;
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
