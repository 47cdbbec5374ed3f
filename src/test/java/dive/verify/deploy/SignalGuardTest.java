package dive.verify.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Real signals need a process of their own: each test starts a child JVM running {@link Main} and
 * signals it. Every wait has a timeout, so a broken guard fails a test instead of hanging the build.
 */
class SignalGuardTest {
    @TempDir Path dir;

    @Test
    void firstSigtermRunsEveryListenerThenExitsWith143() throws Exception {
        try (ChildJvm child = ChildJvm.start(dir, List.of())) {
            child.awaitStdout("ready");
            child.signal("TERM");

            assertThat(child.awaitExit(Duration.ofSeconds(10))).isEqualTo(143);
            assertThat(child.stderr())
                    .contains("[dive-verify] SIGTERM received: no new container will be started;"
                            + " recording the interruption and cleaning up (send it again to exit at once)")
                    // the first listener throws; the second still runs
                    .contains("[dive-verify] interruption listener failed: first listener breaks");
            assertThat(child.stdout()).contains("listener ran: SIGTERM");
            assertThat(Files.readString(child.marker)).isEqualTo("SIGTERM");
        }
    }

    @Test
    void sigintExitsWith130() throws Exception {
        assumeFalse(sigintIgnored(), "SIGINT is ignored here (background job?), so no JVM can catch it");
        try (ChildJvm child = ChildJvm.start(dir, List.of())) {
            child.awaitStdout("ready");
            child.signal("INT");

            assertThat(child.awaitExit(Duration.ofSeconds(10))).isEqualTo(130);
            assertThat(child.stderr()).contains("[dive-verify] SIGINT received");
            assertThat(child.stdout()).contains("listener ran: SIGINT");
        }
    }

    @Test
    void secondSignalDuringASlowTeardownExitsAtOnce() throws Exception {
        try (ChildJvm child = ChildJvm.start(dir, List.of(), "slow")) {
            child.awaitStdout("ready");
            child.signal("TERM");
            child.awaitStdout("tearing down");
            child.signal("TERM");

            assertThat(child.awaitExit(Duration.ofSeconds(3))).isEqualTo(143);
            assertThat(child.stderr()).contains("[dive-verify] second SIGTERM: exiting at once;"
                    + " what still runs is left for the next run's sweep (./dive-verify clean)");
            assertThat(child.stdout()).doesNotContain("teardown finished");
        }
    }

    /** Where the handler cannot be installed, the JVM's default handling stays: exit 143, no listener. */
    @ParameterizedTest
    @ValueSource(strings = {"-Xrs", "--limit-modules=java.base"})
    void withoutTheHandlerInstallWarnsAndTheDefaultStays(String jvmOption) throws Exception {
        try (ChildJvm child = ChildJvm.start(dir, List.of(jvmOption))) {
            child.awaitStdout("ready");
            assertThat(child.stderr()).contains("[dive-verify] warning: cannot handle SIGINT/SIGTERM");
            child.signal("TERM");

            assertThat(child.awaitExit(Duration.ofSeconds(10))).isEqualTo(143);
            assertThat(child.stdout()).doesNotContain("listener ran");
        }
    }

    /** An ignored signal is inherited by children and cannot be caught (Linux: see /proc). */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) return false;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (mask & (1L << (2 - 1))) != 0; // SIGINT is signal 2, bit 1
            }
        }
        return false;
    }

    /** The child JVM's program. Args: marker file, then optionally "slow". */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            Path marker = Path.of(args[0]);
            boolean slow = args.length > 1 && args[1].equals("slow");

            SignalGuard.register(signal -> {
                throw new IllegalStateException("first listener breaks");
            });
            SignalGuard.register(signal -> {
                System.out.println("listener ran: " + signal);
                try {
                    Files.writeString(marker, signal);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (slow) {
                SignalGuard.register(signal -> {
                    System.out.println("tearing down");
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    System.out.println("teardown finished");
                });
            }
            SignalGuard.install();
            System.out.println("ready");
            Thread.sleep(60_000); // the guard ends this process; the tests gave up long before
            System.out.println("no signal handled");
        }
    }

    /** A child JVM whose stdout/stderr go to files, so nothing blocks on a full pipe and no reader thread is needed. */
    private static final class ChildJvm implements AutoCloseable {
        final Process process;
        final Path out;
        final Path err;
        final Path marker;

        private ChildJvm(Process process, Path out, Path err, Path marker) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.marker = marker;
        }

        static ChildJvm start(Path dir, List<String> jvmOptions, String... mainArgs) throws IOException {
            Path out = dir.resolve("child.out");
            Path err = dir.resolve("child.err");
            Path marker = dir.resolve("marker");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), marker.toString()));
            command.addAll(List.of(mainArgs));
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            return new ChildJvm(process, out, err, marker);
        }

        void awaitStdout(String line) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!stdout().lines().anyMatch(line::equals)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    fail("child never printed '" + line + "' (alive: " + process.isAlive() + ")\nstdout:\n"
                            + stdout() + "\nstderr:\n" + stderr());
                }
                Thread.sleep(20);
            }
        }

        /** Through sh's builtin kill: a /bin/kill binary is missing from slim images. */
        void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("sh", "-c", "kill -" + name + " " + process.pid()).start();
            assertThat(kill.waitFor(5, TimeUnit.SECONDS)).as("kill finished").isTrue();
            assertThat(kill.exitValue()).as("kill -%s exit code", name).isZero();
        }

        int awaitExit(Duration timeout) throws Exception {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("child still running after " + timeout + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            return process.exitValue();
        }

        String stdout() throws IOException {
            return Files.readString(out);
        }

        String stderr() throws IOException {
            return Files.readString(err);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
