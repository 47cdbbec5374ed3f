package dive.verify.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;

import java.util.Map;
import java.util.UUID;

/**
 * Questions to the Docker engine that the acceptance features ask about what
 * a deployment left behind (image ids, running state, resources the sweep
 * must spare). The steps ask these; they never hold the Docker client.
 */
public final class Engine {
    private Engine() {}

    /** The engine's version and API version, e.g. {@code 20.10.24 (API 1.41)}; fails with {@link Docker}'s message without an engine. */
    public static String version() {
        var info = Docker.client().versionCmd().exec();
        return info.getVersion() + " (API " + info.getApiVersion() + ")";
    }

    /** The id ({@code sha256:…}) of a local image. */
    public static String imageId(String image) {
        return Docker.client().inspectImageCmd(image).exec().getId();
    }

    /** Whether a container is running (its id must exist). */
    public static boolean isRunning(String containerId) {
        return Boolean.TRUE.equals(Docker.client().inspectContainerCmd(containerId).exec().getState().getRunning());
    }

    /**
     * A container, a network and a volume that look like a deployment's (same
     * deployment label, a run label) but lack the project label: what a sweep
     * must leave alone. The container is created from {@code image}, never started.
     */
    public record Lookalikes(String container, String network, String volume) {
        public static Lookalikes create(String deployment, String image) {
            String suffix = UUID.randomUUID().toString().substring(0, 6);
            Map<String, String> labels = Map.of(RunContext.DEPLOYMENT_LABEL, deployment, RunContext.RUN_LABEL, "decoy");
            DockerClient docker = Docker.client();
            String network = docker.createNetworkCmd().withName("decoy-net-" + suffix).withLabels(labels).exec().getId();
            String volume = docker.createVolumeCmd().withName("decoy-vol-" + suffix).withLabels(labels).exec().getName();
            String container = docker.createContainerCmd(image).withName("decoy-" + suffix).withLabels(labels).withCmd("true").exec().getId();
            return new Lookalikes(container, network, volume);
        }

        /** Fails (NotFoundException) unless all three still exist. */
        public void requireAllExist() {
            DockerClient docker = Docker.client();
            docker.inspectContainerCmd(container).exec();
            docker.inspectNetworkCmd().withNetworkId(network).exec();
            docker.inspectVolumeCmd(volume).exec();
        }

        /** Removes whichever of the three still exists. */
        public void remove() {
            DockerClient docker = Docker.client();
            try { docker.removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec(); } catch (NotFoundException ignored) { }
            try { docker.removeNetworkCmd(network).exec(); } catch (NotFoundException ignored) { }
            try { docker.removeVolumeCmd(volume).exec(); } catch (NotFoundException ignored) { }
        }
    }
}
