package dive.verify.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;

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
