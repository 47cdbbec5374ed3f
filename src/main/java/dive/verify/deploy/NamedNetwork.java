package dive.verify.deploy;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.containers.Network;

import java.util.List;
import java.util.Map;

/**
 * A Docker network with the name the template gives it (Testcontainers'
 * own networks get random names; a hub and its spokes must meet on
 * {@code dive-shared}). An existing network of that name is joined, not
 * re-created, and only a network this run created is removed at teardown.
 */
final class NamedNetwork implements Network {
    private final String name;
    private final String id;
    private final boolean createdHere;

    private NamedNetwork(String name, String id, boolean createdHere) {
        this.name = name;
        this.id = id;
        this.createdHere = createdHere;
    }

    static synchronized NamedNetwork getOrCreate(String name, boolean internal, Map<String, String> labels) {
        DockerClient docker = Docker.client();
        List<com.github.dockerjava.api.model.Network> existing = docker.listNetworksCmd().withNameFilter(name).exec();
        for (var n : existing) {
            if (n.getName().equals(name)) return new NamedNetwork(name, n.getId(), false);
        }
        String id = docker.createNetworkCmd().withName(name).withDriver("bridge").withInternal(internal)
                .withLabels(labels).withCheckDuplicate(true).exec().getId();
        return new NamedNetwork(name, id, true);
    }

    String name() { return name; }

    @Override
    public String getId() { return id; }

    /**
     * Removes the network once nothing uses it any more, if this run created
     * it or it carries this project's label (a shared network created by the
     * hub is removed by whichever deployment leaves it last).
     */
    @Override
    public void close() {
        try {
            var inspect = Docker.client().inspectNetworkCmd().withNetworkId(id).exec();
            boolean ours = createdHere || (inspect.getLabels() != null
                    && RunContext.PROJECT.equals(inspect.getLabels().get(RunContext.PROJECT_LABEL)));
            if (ours && (inspect.getContainers() == null || inspect.getContainers().isEmpty())) {
                Docker.client().removeNetworkCmd(id).exec();
            }
        } catch (com.github.dockerjava.api.exception.NotFoundException ignored) {
            // already gone
        }
    }
}
