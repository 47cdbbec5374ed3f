package dive.verify.deploy;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.Ports;
import dive.verify.poll.Poll;
import dive.verify.template.ServiceSpec;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link EngineView} answered by the Docker engine ({@link Docker#client()}), and by binding a socket for host ports. */
final class DockerEngineView implements EngineView {

    @Override
    public Optional<ContainerView> container(String idOrName) {
        InspectContainerResponse inspect;
        try {
            inspect = Docker.client().inspectContainerCmd(idOrName).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        var state = inspect.getState();
        Map<String, String> labels = inspect.getConfig() == null ? null : inspect.getConfig().getLabels();
        return Optional.of(new ContainerView(inspect.getId(), stripSlash(inspect.getName()), inspect.getImageId(), state.getStatus(),
                Boolean.TRUE.equals(state.getRunning()), state.getExitCodeLong(),
                state.getHealth() == null ? null : state.getHealth().getStatus(), labels, publishedPorts(inspect)));
    }

    @Override
    public Optional<ContainerView> settled(String idOrName, Instant until) {
        Optional<ContainerView> now = container(idOrName);
        Duration left = Duration.between(Instant.now(), until);
        if (left.isNegative() || left.isZero() || now.isEmpty() || !now.get().starting()) return now;
        // still starting when the time is up: the caller decides what that means
        return Poll.until(left, Duration.ofMillis(500), () -> container(idOrName), c -> c.isEmpty() || !c.get().starting()).last();
    }

    @Override
    public boolean healthCommandPasses(String containerId, ServiceSpec service) {
        HealthCommand own = HealthCommand.of(service, containerId);
        return own != null && own.passesNow();
    }

    @Override
    public List<ContainerView> containersOf(String deployment) {
        return Docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT, RunContext.DEPLOYMENT_LABEL, deployment)).exec().stream()
                .map(DockerEngineView::listed)
                .toList();
    }

    @Override
    public List<VolumeView> volumesOf(String deployment) {
        var volumes = Docker.client().listVolumesCmd().withFilter("label", List.of(RunContext.DEPLOYMENT_LABEL + "=" + deployment)).exec().getVolumes();
        if (volumes == null) return List.of();
        return volumes.stream()
                .map(v -> new VolumeView(v.getName(), v.getLabels()))
                .filter(v -> RunContext.PROJECT.equals(v.labels().get(RunContext.PROJECT_LABEL)))
                .toList();
    }

    private static ContainerView listed(Container c) {
        Set<Integer> ports = new LinkedHashSet<>();
        if (c.getPorts() != null) {
            for (ContainerPort p : c.getPorts()) if (p.getPublicPort() != null) ports.add(p.getPublicPort());
        }
        String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : stripSlash(c.getNames()[0]);
        return new ContainerView(c.getId(), name, c.getImageId(), c.getState(), "running".equals(c.getState()), null, null,
                c.getLabels(), ports);
    }

    private static Set<Integer> publishedPorts(InspectContainerResponse inspect) {
        Set<Integer> out = new LinkedHashSet<>();
        Ports ports = inspect.getNetworkSettings() == null ? null : inspect.getNetworkSettings().getPorts();
        if (ports == null) return out;
        for (Ports.Binding[] bindings : ports.getBindings().values()) {
            if (bindings == null) continue;
            for (Ports.Binding b : bindings) {
                try {
                    out.add(Integer.parseInt(b.getHostPortSpec()));
                } catch (NumberFormatException e) {
                    // a range or nothing: not one port this view can name
                }
            }
        }
        return out;
    }

    @Override
    public Optional<String> imageId(String image) {
        try {
            return Optional.ofNullable(Docker.client().inspectImageCmd(image).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean networkExists(String name) {
        // the name filter matches parts of names too: only an exact name counts
        return Docker.client().listNetworksCmd().withNameFilter(name).exec().stream().anyMatch(n -> n.getName().equals(name));
    }

    @Override
    public boolean volumeExists(String name) {
        try {
            Docker.client().inspectVolumeCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public boolean hostPortFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String stripSlash(String name) {
        return name == null ? null : name.replaceFirst("^/", "");
    }
}
