package dive.verify.deploy;

import dive.verify.template.ServiceSpec;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the deploy decisions (selection, {@link Preflight}, {@link Resume}) need
 * to know from the engine and the host, read-only: they take it as an input,
 * so each one is unit-tested with a fake instead of a running engine.
 * {@link DockerEngineView} asks the Docker engine.
 */
interface EngineView {

    /**
     * One container as the engine reports it.
     *
     * @param name      without the engine's leading slash
     * @param state     the engine's word for it: created, running, exited, restarting, paused, dead
     * @param exitCode  null when unknown (a listed container, or one that never ran)
     * @param health    null without a healthcheck, and for a listed container (a listing does not say)
     * @param hostPorts the host ports it publishes
     */
    record ContainerView(String id, String name, String imageId, String state, boolean running, Long exitCode, String health,
                         Map<String, String> labels, Set<Integer> hostPorts) {
        public ContainerView {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            hostPorts = hostPorts == null ? Set.of() : Set.copyOf(hostPorts);
        }

        /** Running, and its health check has not passed or failed yet. */
        public boolean starting() { return running && "starting".equals(health); }
    }

    /** A container by id or name; empty when the engine has none of that id or name. */
    Optional<ContainerView> container(String idOrName);

    /**
     * The container as {@link #container} reports it once its health check is past "starting", or as it is at
     * {@code until} if it is still starting then: a container taken over just after it started is given a moment to
     * turn healthy. The waiting is the engine's side of a decision, so the decisions themselves never sleep.
     */
    Optional<ContainerView> settled(String idOrName, Instant until);

    /**
     * Whether {@code service}'s own health command passes in the container now ({@link HealthCommand}): what the
     * deployer calls ready, before the engine's next check says so. False without a health command.
     */
    boolean healthCommandPasses(String containerId, ServiceSpec service);

    /** Every container, running or not, that carries the project's label and the deployment label {@code deployment}. */
    List<ContainerView> containersOf(String deployment);

    /** One named volume as the engine reports it. */
    record VolumeView(String name, Map<String, String> labels) {
        public VolumeView {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /** Every volume that carries the project's label and the deployment label {@code deployment}. */
    List<VolumeView> volumesOf(String deployment);

    /** The id ({@code sha256:…}) of a local image; empty when it is not present locally. */
    Optional<String> imageId(String image);

    boolean networkExists(String name);

    boolean volumeExists(String name);

    /** Whether a host port can be bound now (nothing listens on it). */
    boolean hostPortFree(int port);

    /** The Docker engine this JVM talks to. */
    static EngineView docker() {
        return new DockerEngineView();
    }
}
