package dive.verify.deploy;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import dive.verify.template.HealthcheckSpec;
import dive.verify.template.ServiceSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service's own health-check command, run by the harness in the service's
 * container while it starts, the way the engine runs it ({@code CMD} as given,
 * {@code CMD-SHELL} through {@code /bin/sh -c}, with the check's timeout). The
 * engine looks only every {@code interval} (Docker 20.10 has no
 * {@code start_interval}); looking every quarter second notices the first
 * pass at once. A slow command (mongosh starts Node) is not run back to back:
 * it waits twice as long as it took, so it never takes more than half a core.
 * And each run costs the engine a process in the container (runc), which on two
 * cores slows a starting Keycloak: while none of the container's ports accepts
 * a connection (from this host, on a network it can reach) the command is not
 * run at all, since a service that does not listen yet is not healthy either.
 */
final class HealthCommand {
    static final Duration EVERY = Duration.ofMillis(250);

    private final String containerId;
    private final List<String> command;
    private final Duration timeout;
    private Instant next = Instant.MIN;
    private List<java.net.InetSocketAddress> gates;
    /** What its last run said, as the engine's health log says it ("exit 1: …"); null before the first run. */
    private volatile String lastOutcome;

    private HealthCommand(String containerId, List<String> command, Duration timeout) {
        this.containerId = containerId;
        this.command = command;
        this.timeout = timeout;
    }

    /** The probe of a service with a healthcheck in its file; null without one (then the engine's status alone decides). */
    static HealthCommand of(ServiceSpec s, String containerId) {
        if (!enabled()) return null;
        HealthcheckSpec hc = s.healthcheck();
        if (hc == null || hc.test() == null || hc.test().isEmpty()) return null;
        List<String> test = hc.test();
        List<String> cmd = switch (test.get(0)) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> null; // NONE, or a form the engine would not run either
        };
        if (cmd == null || cmd.isEmpty()) return null;
        return new HealthCommand(containerId, List.copyOf(cmd), hc.timeout() == null ? HealthcheckSpec.DEFAULT_TIMEOUT : hc.timeout());
    }

    /** {@code -Ddive.readiness=engine} leaves readiness to the engine's own checks (to compare, e.g. in the benchmark). */
    static boolean enabled() {
        return !"engine".equals(System.getProperty("dive.readiness", "at-once"));
    }

    /** Runs the command when it is due; true when it exited 0 within its timeout. */
    boolean passesNow() {
        Instant now = Instant.now();
        if (now.isBefore(next)) return false;
        if (gates == null) gates = reachablePorts(containerId);
        if (!gates.isEmpty() && gates.stream().noneMatch(HealthCommand::accepts)) {
            next = now.plus(EVERY);
            return false;
        }
        boolean passed = false;
        try {
            var exec = Docker.client().execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec();
            Output output = new Output();
            try (var done = Docker.client().execStartCmd(exec.getId()).exec(output)) {
                if (done.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    Long exit = Docker.client().inspectExecCmd(exec.getId()).exec().getExitCodeLong();
                    passed = exit != null && exit == 0;
                    lastOutcome = "exit " + exit + ": " + output.text();
                } else {
                    lastOutcome = "timed out after " + timeout.toSeconds() + " s: " + output.text();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // not running yet, or gone: the engine's status tells the wait what happened
        }
        Duration took = Duration.between(now, Instant.now());
        Duration pause = took.multipliedBy(2).compareTo(EVERY) > 0 ? took.multipliedBy(2) : EVERY;
        next = Instant.now().plus(pause).minus(took);
        return passed;
    }

    /**
     * What the command's last run said ("exit 1: NOT_INITIALIZED: …"), for a failure before the engine's first check
     * (its interval may be longer than the budget); null when it has not run.
     */
    String lastOutcome() { return lastOutcome; }

    /** The command's stdout and stderr, as the engine keeps them in its health log (the first 4 KiB). */
    private static final class Output extends ResultCallback.Adapter<Frame> {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onNext(Frame frame) {
            synchronized (text) {
                if (text.length() < 4096) text.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        String text() {
            synchronized (text) {
                return text.toString().strip();
            }
        }
    }

    /** The container's exposed TCP ports on each of its addresses this host can reach (a network with a gateway). */
    static List<java.net.InetSocketAddress> reachablePorts(String containerId) {
        List<java.net.InetSocketAddress> out = new java.util.ArrayList<>();
        try {
            var inspect = Docker.client().inspectContainerCmd(containerId).exec();
            var exposed = inspect.getConfig() == null ? null : inspect.getConfig().getExposedPorts();
            var networks = inspect.getNetworkSettings() == null ? null : inspect.getNetworkSettings().getNetworks();
            if (exposed == null || networks == null) return List.of();
            for (var n : networks.values()) {
                if (n.getIpAddress() == null || n.getIpAddress().isBlank() || n.getGateway() == null || n.getGateway().isBlank()) continue;
                for (var p : exposed) {
                    if (p.getProtocol() == com.github.dockerjava.api.model.InternetProtocol.TCP) {
                        out.add(new java.net.InetSocketAddress(n.getIpAddress(), p.getPort()));
                    }
                }
                break; // one reachable address is enough
            }
        } catch (RuntimeException e) {
            return List.of(); // then the command alone decides
        }
        return out;
    }

    private static boolean accepts(java.net.InetSocketAddress address) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(address, 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
