package dive.verify.steps;

import dive.verify.report.Secrets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The harness's deploy command ({@code dive.verify.cli.Deploy}) run as a
 * separate process, so a scenario can do to it what a user or a CI runner
 * does: send it SIGTERM, kill it, start it again. Its output is kept for the
 * report (redacted).
 */
final class HarnessProcess {
    private static final Pattern RUN_LINE = Pattern.compile("\\[deploy] run (\\S+) \\(pid (\\d+)\\)");

    private final Process process;
    private final List<String> args;
    private final List<String> lines = new ArrayList<>();
    private final Instant started = Instant.now();
    private Instant exited;

    private HarnessProcess(Process process, List<String> args) {
        this.process = process;
        this.args = args;
        Thread reader = new Thread(this::read, "harness-process-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code Deploy --instance-dir DIR} with the given options, on this run's classpath and settings. */
    static HarnessProcess deploy(Path instanceDir, String... options) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // as ./dive-verify deploy starts it: C1 only, the process mostly waits on the engine
                "-XX:TieredStopAtLevel=1",
                "-cp", classPath(),
                "-Ddive.repo.root=" + Harness.REPO,
                "-Ddive.image.profile=" + Harness.PROFILE,
                "dive.verify.cli.Deploy", "--instance-dir", instanceDir.toString()));
        cmd.addAll(List.of(options));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            return new HarnessProcess(p, List.of(options));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the harness process: " + e.getMessage(), e);
        }
    }

    /** Surefire/Failsafe may hide the real classpath behind a manifest-only jar; they publish it here. */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String redacted = Secrets.redact(line);
                synchronized (lines) {
                    lines.add(redacted);
                    lines.notifyAll();
                }
                System.out.println("    [harness " + process.pid() + "] " + redacted);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** Waits for an output line matching {@code regex}; fails naming what was awaited and the last lines seen. */
    String awaitLine(String regex, Duration max) {
        Pattern p = Pattern.compile(regex);
        Instant end = Instant.now().plus(max);
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) if (p.matcher(lines.get(seen)).find()) return lines.get(seen);
                if (!process.isAlive() && seen == lines.size()) {
                    throw new AssertionError("the harness process ended (exit " + process.exitValue() + ") without printing a line matching /"
                            + regex + "/; its last lines:\n" + tail(25));
                }
                long left = Duration.between(Instant.now(), end).toMillis();
                if (left <= 0) throw new AssertionError("no line matching /" + regex + "/ within " + max.toSeconds() + " s; last lines:\n" + tail(25));
                try {
                    lines.wait(Math.min(left, 500));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for /" + regex + "/");
                }
            }
        }
    }

    /** Sends a signal by name (TERM, INT, KILL), as kill(1) would. */
    void signal(String name) {
        try {
            int rc = new ProcessBuilder("sh", "-c", "kill -" + name + " " + process.pid()).inheritIO().start().waitFor();
            if (rc != 0) throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed with exit code " + rc);
        } catch (IOException e) {
            throw new IllegalStateException("cannot send SIG" + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the exit code; fails when the process is still running after {@code max} */
    int awaitExit(Duration max) {
        try {
            if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the harness process (pid " + process.pid() + ") was still running after " + max.toSeconds()
                        + " s; last lines:\n" + tail(25));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the harness process");
        }
        if (exited == null) exited = Instant.now();
        return process.exitValue();
    }

    /** Wall time from start to exit. */
    Duration took() { return Duration.between(started, exited == null ? Instant.now() : exited); }

    /** The run id the process printed at its start (it labels everything it creates with it). */
    String runId() {
        Matcher m = RUN_LINE.matcher(awaitLine(RUN_LINE.pattern(), Duration.ofSeconds(60)));
        if (!m.find()) throw new AssertionError("no run id in the harness process's output");
        return m.group(1);
    }

    String output() {
        synchronized (lines) { return String.join("\n", lines) + "\n"; }
    }

    String tail(int n) {
        synchronized (lines) { return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size())); }
    }

    String describe() { return process.pid() + " (Deploy " + String.join(" ", args) + ")"; }

    /** Ends the process if it still runs (a failed scenario must not leave it deploying). */
    void stop() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
