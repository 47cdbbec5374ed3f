package dive.verify.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Removes what earlier, killed runs left behind: containers, networks and
 * volumes carrying the project label whose run is over (another run id, and
 * its process no longer alive on this host). Never touches anything without
 * the project label, what a live run is using, nor what a user asked to keep.
 */
public final class Sweeper {
    private Sweeper() {}

    public record Swept(int containers, int networks, int volumes) {
        public int total() { return containers + networks + volumes; }
    }

    public static Swept sweepOtherRuns() {
        return remove(Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT), Sweeper::spared);
    }

    /** Removes everything labelled with one run's id, kept or not (a scenario cleaning up after a process it started). */
    public static Swept removeRun(String runId) {
        return remove(Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT, RunContext.RUN_LABEL, runId), labels -> false);
    }

    /** What is labelled with one run's id: names of containers, networks and volumes. */
    public record Labelled(List<String> containers, List<String> networks, List<String> volumes) {
        public boolean isEmpty() { return containers.isEmpty() && networks.isEmpty() && volumes.isEmpty(); }

        @Override
        public String toString() { return "{containers=" + containers + ", networks=" + networks + ", volumes=" + volumes + "}"; }
    }

    /** Names of the containers, networks and volumes labelled with a run id (whatever their project label). */
    public static Labelled labelled(String runId) {
        DockerClient docker = Docker.client();
        List<String> containers = new ArrayList<>(), networks = new ArrayList<>(), volumes = new ArrayList<>();
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(RunContext.RUN_LABEL, runId)).exec()
                .forEach(c -> containers.add(name(c)));
        docker.listNetworksCmd().withFilter("label", List.of(RunContext.RUN_LABEL + "=" + runId)).exec().forEach(n -> networks.add(n.getName()));
        var vols = docker.listVolumesCmd().withFilter("label", List.of(RunContext.RUN_LABEL + "=" + runId)).exec().getVolumes();
        if (vols != null) vols.forEach(v -> volumes.add(v.getName()));
        return new Labelled(List.copyOf(containers), List.copyOf(networks), List.copyOf(volumes));
    }

    /** A container's name as the engine lists it, without the leading slash. */
    static String name(Container c) {
        return c.getNames()[0].replaceFirst("^/", "");
    }

    private static boolean spared(Map<String, String> labels) {
        return "true".equals(labels.get(RunContext.KEEP_LABEL)) || RunContext.ownerAlive(labels);
    }

    /** Containers, then networks and volumes, carrying all of {@code filter}'s labels and not {@code spared}. */
    private static Swept remove(Map<String, String> filter, Predicate<Map<String, String>> spared) {
        DockerClient docker = Docker.client();
        List<String> labelFilter = filter.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        int c = 0, n = 0, v = 0;
        for (Container container : docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
            if (spared.test(container.getLabels())) continue;
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                c++;
            } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
                // already removed
            }
        }
        for (var net : docker.listNetworksCmd().withFilter("label", labelFilter).exec()) {
            if (spared.test(net.getLabels() == null ? Map.of() : net.getLabels())) continue;
            try {
                docker.removeNetworkCmd(net.getId()).exec();
                n++;
            } catch (RuntimeException inUse) {
                // still joined by a live or kept deployment
            }
        }
        var volumes = docker.listVolumesCmd().withFilter("label", labelFilter).exec().getVolumes();
        if (volumes != null) {
            for (var vol : volumes) {
                if (spared.test(vol.getLabels() == null ? Map.of() : vol.getLabels())) continue;
                try {
                    docker.removeVolumeCmd(vol.getName()).exec();
                    v++;
                } catch (RuntimeException inUse) {
                    // in use by a live or kept container
                }
            }
        }
        return new Swept(c, n, v);
    }
}
