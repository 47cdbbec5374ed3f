package dive.verify.deploy;

import dive.verify.template.ServiceSpec;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.ExecInContainerPattern;
import org.testcontainers.utility.LogUtils;

/**
 * A container an earlier run created and this run takes over instead of
 * recreating it (resume, reuse). Its log is followed from its first line, so
 * log checks see everything it ever wrote, as for a container started here.
 */
final class AdoptedService implements ServiceHandle {
    private final ServiceSpec spec;
    private final String containerId;
    private final ContainerLog log;

    AdoptedService(ServiceSpec spec, String containerId, ContainerLog log) {
        this.spec = spec;
        this.containerId = containerId;
        this.log = log;
        LogUtils.followOutput(Docker.client(), containerId, log);
    }

    @Override public ServiceSpec spec() { return spec; }

    @Override public ContainerLog log() { return log; }

    @Override public String containerId() { return containerId; }

    @Override
    public boolean isRunning() {
        try {
            return Boolean.TRUE.equals(Docker.client().inspectContainerCmd(containerId).exec().getState().getRunning());
        } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
            return false;
        }
    }

    @Override
    public Container.ExecResult exec(String... command) throws Exception {
        var inspect = Docker.client().inspectContainerCmd(containerId).exec();
        return ExecInContainerPattern.execInContainer(Docker.client(), inspect, command);
    }
}
