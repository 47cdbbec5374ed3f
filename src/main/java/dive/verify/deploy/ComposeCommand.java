package dive.verify.deploy;

import dive.verify.report.Secrets;
import dive.verify.poll.Poll;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-compose, run as an operator's pipeline would run it: an
 * independent deployer, so that attach mode is proven against a deployment
 * this harness did not make. Its output is redacted before it is shown.
 */
public final class ComposeCommand {
    private final Path file;
    private final String project;
    private final Set<String> oneShots;

    /** @param oneShots the file's one-shot services (e.g. {@code ComposeVariant.initServices()}): done when they exited 0 */
    public ComposeCommand(Path file, String project, Collection<String> oneShots) {
        this.file = file;
        this.project = project;
        this.oneShots = Set.copyOf(oneShots);
    }

    public String project() { return project; }

    /**
     * {@code docker-compose -p P -f F up -d SERVICE…}: only these services and what they depend on (all of them when
     * none is named), as an operator starts part of a file; then looks every {@code pollEvery} until every container
     * of the project is healthy, or running when it has no health check, or, for a one-shot service, exited 0.
     */
    public void upAndWaitHealthy(Duration within, Duration pollEvery, List<String> services) {
        List<String> args = new ArrayList<>(List.of("up", "-d"));
        args.addAll(services);
        run(within, args.toArray(String[]::new));
        var seen = Poll.until(within, pollEvery, this::notReady, List::isEmpty);
        if (!seen.done()) {
            throw new IllegalStateException("docker-compose project " + project + " was not all healthy within " + within.toSeconds()
                    + " s: " + String.join(", ", seen.last()));
        }
    }

    /** The project's containers that are neither running healthy nor a finished one-shot service, each with its state. */
    private List<String> notReady() {
        List<String> notReady = new ArrayList<>();
        for (var c : Docker.client().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Attach.COMPOSE_PROJECT, project)).exec()) {
            var st = Docker.client().inspectContainerCmd(c.getId()).exec().getState();
            String svc = c.getLabels().get(Attach.COMPOSE_SERVICE);
            boolean oneShotDone = !Boolean.TRUE.equals(st.getRunning()) && Long.valueOf(0).equals(st.getExitCodeLong()) && oneShots.contains(svc);
            boolean ok = oneShotDone || (Boolean.TRUE.equals(st.getRunning()) && (st.getHealth() == null || "healthy".equals(st.getHealth().getStatus())));
            if (!ok) notReady.add(svc + " (" + st.getStatus() + (st.getHealth() == null ? "" : ", " + st.getHealth().getStatus()) + ")");
        }
        return notReady;
    }

    /** {@code docker-compose down -v --remove-orphans}: what the operator's pipeline made goes, volumes included. */
    public void down() {
        run(Duration.ofMinutes(3), "down", "-v", "--remove-orphans", "-t", "5");
    }

    private void run(Duration within, String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "--no-ansi", "-p", project, "-f", file.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(file.getParent().toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(within.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("docker-compose " + String.join(" ", args) + " did not finish within " + within.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("docker-compose " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): "
                        + Secrets.redact(out.strip()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run docker-compose (scripts/docker-compose.sh installs Debian's): "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running docker-compose");
        }
    }
}
