package dive.verify.probe;

import dive.verify.deploy.Docker;
import dive.verify.deploy.RunContext;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Runs {@code opa test -v} on a policy directory in a one-shot container of the kit's OPA image. */
public final class OpaTestRunner {
    public record Result(long exitCode, String output) {}

    private OpaTestRunner() {}

    /** Done when the container has exited, whatever its exit code (that is the result). */
    private static final class ExitedIsDone extends StartupCheckStrategy {
        @Override
        public StartupStatus checkStartupState(com.github.dockerjava.api.DockerClient docker, String id) {
            var state = getCurrentState(docker, id);
            return Boolean.TRUE.equals(state.getRunning()) ? StartupStatus.NOT_YET_KNOWN : StartupStatus.SUCCESSFUL;
        }
    }

    public static Result run(String opaImage, Path policies) {
        Docker.client();
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(opaImage))
                .withImagePullPolicy(i -> false)
                .withLabels(Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT, RunContext.RUN_LABEL, RunContext.current().runId()))
                // a bind through the create command: Testcontainers' own file-system bind first probes
                // mount support by running a helper image, which cannot be pulled here
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withBinds(new com.github.dockerjava.api.model.Bind(
                        policies.toAbsolutePath().toString(), new com.github.dockerjava.api.model.Volume("/policies"),
                        com.github.dockerjava.api.model.AccessMode.ro)))
                .withCommand("test", "-v", "/policies")
                .withStartupCheckStrategy(new ExitedIsDone().withTimeout(Duration.ofSeconds(60)))) {
            c.start();
            var state = Docker.client().inspectContainerCmd(c.getContainerId()).exec().getState();
            return new Result(state.getExitCodeLong() == null ? -1 : state.getExitCodeLong(), c.getLogs());
        }
    }
}
