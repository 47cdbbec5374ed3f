package dive.verify.deploy;

import dive.verify.template.ServiceSpec;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.ExecInContainerPattern;
import org.testcontainers.containers.output.FrameConsumerResultCallback;
import org.testcontainers.containers.output.OutputFrame;

/**
 * A container an earlier run created and this run takes over instead of
 * recreating it (resume, reuse, attach). Its log is followed from its first
 * line, so log checks see everything it ever wrote, as for a container started
 * here; the earlier lines arrive at once, so each line's time is the engine's
 * timestamp of it, not its arrival (log rules that depend on when a line was
 * written, such as "before registration", stay true).
 */
final class AdoptedService implements ServiceHandle {
    private final ServiceSpec spec;
    private final String containerId;
    private final ContainerLog log;

    AdoptedService(ServiceSpec spec, String containerId, ContainerLog log) {
        this.spec = spec;
        this.containerId = containerId;
        this.log = log.stamped();
        follow(containerId, this.log);
    }

    /** As Testcontainers' LogUtils.followOutput (stdout and stderr from the first line, followed), with the engine's timestamps. */
    private static void follow(String containerId, ContainerLog log) {
        FrameConsumerResultCallback callback = new FrameConsumerResultCallback();
        callback.addConsumer(OutputFrame.OutputType.STDOUT, log);
        callback.addConsumer(OutputFrame.OutputType.STDERR, log);
        Docker.client().logContainerCmd(containerId).withFollowStream(true).withSince(0).withTimestamps(true)
                .withStdOut(true).withStdErr(true).exec(callback);
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
