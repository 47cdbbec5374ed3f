package dive.verify.deploy;

import dive.verify.deploy.EngineView.ContainerView;
import dive.verify.template.ServiceSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An engine in memory for the deploy decisions' unit tests: it reports only
 * what a test put in it. A container may be given several looks; each
 * inspection moves on to the next one, and the last one stays.
 */
final class FakeEngine implements EngineView {
    private final Map<String, Deque<ContainerView>> containers = new LinkedHashMap<>();
    private final Map<String, String> images = new HashMap<>();
    private final Set<String> networks = new HashSet<>(), volumes = new HashSet<>();
    private final Set<Integer> busyPorts = new HashSet<>();
    private final List<VolumeView> labelledVolumes = new ArrayList<>();
    private final Set<String> ownCommandPasses = new HashSet<>();

    FakeEngine image(String image, String id) {
        images.put(image, id);
        return this;
    }

    FakeEngine withoutImage(String image) {
        images.remove(image);
        return this;
    }

    /** A container, found by its id and by its name; later looks are given on later inspections. */
    FakeEngine container(ContainerView first, ContainerView... later) {
        Deque<ContainerView> looks = new ArrayDeque<>();
        looks.add(first);
        looks.addAll(List.of(later));
        containers.put(first.id(), looks);
        return this;
    }

    /** The service's own health command passes in this container (the engine may still say "starting"). */
    FakeEngine ownCommandPasses(String containerId) {
        ownCommandPasses.add(containerId);
        return this;
    }

    FakeEngine withoutContainer(String id) {
        containers.remove(id);
        return this;
    }

    FakeEngine network(String name) {
        networks.add(name);
        return this;
    }

    FakeEngine volume(String name) {
        volumes.add(name);
        return this;
    }

    /** A volume with labels, as a deployment creates it (also found by name). */
    FakeEngine volume(String name, Map<String, String> labels) {
        volumes.add(name);
        labelledVolumes.add(new VolumeView(name, labels));
        return this;
    }

    /** Something on the host listens on this port. */
    FakeEngine busyPort(int port) {
        busyPorts.add(port);
        return this;
    }

    @Override
    public Optional<ContainerView> container(String idOrName) {
        for (Deque<ContainerView> looks : containers.values()) {
            ContainerView c = looks.peek();
            if (c.id().equals(idOrName) || c.name().equals(idOrName)) return Optional.of(looks.size() > 1 ? looks.pop() : c);
        }
        return Optional.empty();
    }

    /** No clock: the looks given for a container are what it shows over time, and it settles on the first past "starting". */
    @Override
    public Optional<ContainerView> settled(String idOrName, java.time.Instant until) {
        Optional<ContainerView> c = container(idOrName);
        while (c.isPresent() && c.get().starting() && java.time.Instant.now().isBefore(until)
                && containers.get(c.get().id()).peek() != c.get()) { // a later look is given
            c = container(idOrName);
        }
        return c;
    }

    @Override
    public boolean healthCommandPasses(String containerId, ServiceSpec service) {
        return ownCommandPasses.contains(containerId);
    }

    @Override
    public List<ContainerView> containersOf(String deployment) {
        List<ContainerView> out = new ArrayList<>();
        for (Deque<ContainerView> looks : containers.values()) {
            ContainerView c = looks.peek();
            if (RunContext.PROJECT.equals(c.labels().get(RunContext.PROJECT_LABEL))
                    && deployment.equals(c.labels().get(RunContext.DEPLOYMENT_LABEL))) out.add(c);
        }
        return out;
    }

    @Override
    public List<VolumeView> volumesOf(String deployment) {
        return labelledVolumes.stream()
                .filter(v -> RunContext.PROJECT.equals(v.labels().get(RunContext.PROJECT_LABEL))
                        && deployment.equals(v.labels().get(RunContext.DEPLOYMENT_LABEL)))
                .toList();
    }

    @Override
    public Optional<String> imageId(String image) { return Optional.ofNullable(images.get(image)); }

    @Override
    public boolean networkExists(String name) { return networks.contains(name); }

    @Override
    public boolean volumeExists(String name) { return volumes.contains(name); }

    @Override
    public boolean hostPortFree(int port) { return !busyPorts.contains(port); }
}
