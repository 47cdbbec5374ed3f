package dive.verify.deploy;

import com.github.dockerjava.api.DockerClient;
import org.testcontainers.DockerClientFactory;

/**
 * Access to the Docker engine. If there is none, every acceptance feature
 * fails with this message: a green run that deployed nothing would be a lie.
 */
public final class Docker {
    private Docker() {}

    /**
     * Connects to the engine on a background thread when its socket already
     * answers, so that Testcontainers' first-connection cost (about a second of
     * class loading and probing on two cores) overlaps a command's other
     * preparation. {@link #client()} waits for it (the factory is synchronised).
     * Not when the engine is not up yet: the factory would remember the failure.
     */
    public static void connectInBackground() {
        String host = System.getenv("DOCKER_HOST");
        java.nio.file.Path socket = java.nio.file.Path.of(host == null || host.isBlank() ? "/var/run/docker.sock"
                : host.startsWith("unix://") ? host.substring("unix://".length()) : "");
        if (socket.toString().isEmpty() || !java.nio.file.Files.exists(socket)) return;
        try (var ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(socket));
        } catch (java.io.IOException | RuntimeException e) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                client();
            } catch (RuntimeException e) {
                // the command's own first use reports it
            }
        }, "docker-connect");
        t.setDaemon(true);
        t.start();
    }

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
