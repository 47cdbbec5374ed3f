package dive.verify.deploy;

import dive.verify.template.ServiceSpec;
import org.testcontainers.containers.Container;

/**
 * A service's container as a deployment sees it: either started by this run
 * ({@link ServiceContainer}) or adopted from an earlier, interrupted or kept
 * one ({@link AdoptedService}) when a deployment resumes.
 */
interface ServiceHandle {
    ServiceSpec spec();

    ContainerLog log();

    String containerId();

    boolean isRunning();

    Container.ExecResult exec(String... command) throws Exception;
}
