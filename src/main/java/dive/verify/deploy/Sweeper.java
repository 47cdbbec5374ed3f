package dive.verify.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;

import java.util.List;
import java.util.Map;

/**
 * Removes what earlier, killed runs left behind: containers, networks and
 * volumes carrying the project label but another run's id. Never touches
 * anything without the project label, nor what a user asked to keep.
 */
public final class Sweeper {
    private Sweeper() {}

    public record Swept(int containers, int networks, int volumes) {
        public int total() { return containers + networks + volumes; }
    }

    public static Swept sweepOtherRuns() {
        return sweep(RunContext.current().runId(), false);
    }

    /** @param all also this run's and kept resources (the "clean" command) */
    public static Swept sweep(String currentRun, boolean all) {
        DockerClient docker = Docker.client();
        Map<String, String> projectFilter = Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT);
        int c = 0, n = 0, v = 0;
        for (Container container : docker.listContainersCmd().withShowAll(true).withLabelFilter(projectFilter).exec()) {
            if (!all && (currentRun.equals(container.getLabels().get(RunContext.RUN_LABEL))
                    || "true".equals(container.getLabels().get(RunContext.KEEP_LABEL)))) continue;
            docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
            c++;
        }
        for (var net : docker.listNetworksCmd().withFilter("label", List.of(RunContext.PROJECT_LABEL + "=" + RunContext.PROJECT)).exec()) {
            if (!all && (currentRun.equals(net.getLabels().get(RunContext.RUN_LABEL)) || "true".equals(net.getLabels().get(RunContext.KEEP_LABEL)))) continue;
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
                if (!all && (currentRun.equals(labels.get(RunContext.RUN_LABEL)) || "true".equals(labels.get(RunContext.KEEP_LABEL)))) continue;
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
}
