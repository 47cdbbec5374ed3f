package dive.verify.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;

import java.util.List;
import java.util.Map;

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
        return sweep(false);
    }

    /** @param all also live runs' and kept resources (the "clean" command) */
    public static Swept sweep(boolean all) {
        DockerClient docker = Docker.client();
        Map<String, String> projectFilter = Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT);
        int c = 0, n = 0, v = 0;
        for (Container container : docker.listContainersCmd().withShowAll(true).withLabelFilter(projectFilter).exec()) {
            if (!all && spared(container.getLabels())) continue;
            docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
            c++;
        }
        for (var net : docker.listNetworksCmd().withFilter("label", List.of(RunContext.PROJECT_LABEL + "=" + RunContext.PROJECT)).exec()) {
            if (!all && spared(net.getLabels())) continue;
            try {
                docker.removeNetworkCmd(net.getId()).exec();
                n++;
            } catch (RuntimeException inUse) {
                // still used by a kept deployment
            }
        }
        var volumes = docker.listVolumesCmd().withFilter("label", List.of(RunContext.PROJECT_LABEL + "=" + RunContext.PROJECT)).exec().getVolumes();
        if (volumes != null) {
            for (var vol : volumes) {
                Map<String, String> labels = vol.getLabels() == null ? Map.of() : vol.getLabels();
                if (!all && spared(labels)) continue;
                try {
                    docker.removeVolumeCmd(vol.getName()).exec();
                    v++;
                } catch (RuntimeException inUse) {
                    // in use by a kept container
                }
            }
        }
        return new Swept(c, n, v);
    }

    private static boolean spared(Map<String, String> labels) {
        return "true".equals(labels.get(RunContext.KEEP_LABEL)) || RunContext.ownerAlive(labels);
    }

    /** Removes everything labelled with one run's id, kept or not (a scenario cleaning up after a process it started). */
    public static Swept removeRun(String runId) {
        DockerClient docker = Docker.client();
        Map<String, String> filter = Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT, RunContext.RUN_LABEL, runId);
        int c = 0, n = 0, v = 0;
        for (Container container : docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                c++;
            } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
                // already removed
            }
        }
        for (var net : docker.listNetworksCmd().withFilter("label", List.of(RunContext.RUN_LABEL + "=" + runId)).exec()) {
            try {
                docker.removeNetworkCmd(net.getId()).exec();
                n++;
            } catch (RuntimeException inUse) {
                // joined by a live deployment
            }
        }
        var volumes = docker.listVolumesCmd().withFilter("label", List.of(RunContext.RUN_LABEL + "=" + runId)).exec().getVolumes();
        if (volumes != null) {
            for (var vol : volumes) {
                try {
                    docker.removeVolumeCmd(vol.getName()).exec();
                    v++;
                } catch (RuntimeException inUse) {
                    // in use by a live deployment
                }
            }
        }
        return new Swept(c, n, v);
    }
}
