package dive.verify.deploy;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;

/**
 * Access to the Docker engine. If there is none, every acceptance feature
 * fails with this message: a green run that deployed nothing would be a lie.
 */
public final class Docker {
    private Docker() {}

    public static DockerClient client() {
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            available = false;
        }
        if (!available) {
            boolean ryuk = !"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"));
            throw new IllegalStateException("No Docker engine is reachable (DOCKER_HOST="
                    + System.getenv().getOrDefault("DOCKER_HOST", "unset")
                    + "). Start one with scripts/docker-engine.sh, or point DOCKER_HOST at one. "
                    + "The acceptance features deploy real containers and cannot run without it."
                    + (ryuk ? " (Testcontainers' Ryuk is enabled here, and its image cannot be pulled on a machine without a registry:"
                    + " set TESTCONTAINERS_RYUK_DISABLED=true, as ./dive-verify and Failsafe do.)" : ""));
        }
        return DockerClientFactory.instance().client();
    }
}
