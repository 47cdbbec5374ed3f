package dive.verify.steps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How busy the machine's cores were during the acceptance tests, and how much of their time the host gave to
 * others (steal), from the kernel's own counters in /proc/stat. Printed beside the Keycloak figure when the run
 * ends, so that a slow run on a slow hour can be told from a slow commit: on a virtual machine a busy host shows
 * as steal. The test JVM's own CPU time is printed too: the part of the machine's work that is the checks
 * themselves, not the containers. Linux only; elsewhere nothing is printed. Never asserted.
 */
final class MachineLoad {
    private static final Path STAT = Path.of("/proc/stat");
    private static Optional<Ticks> atStart = Optional.empty();
    private static long jvmCpuAtStart = -1;

    private MachineLoad() {}

    /** The kernel's cumulative CPU time, in ticks, summed over all cores. */
    record Ticks(long busy, long idle, long steal) {
        long total() { return busy + idle + steal; }

        /** The aggregate "cpu" line: user nice system idle iowait irq softirq steal (guest time is inside user). */
        static Optional<Ticks> parse(String statLine) {
            String[] f = statLine.trim().split("\\s+");
            if (f.length < 9 || !f[0].equals("cpu")) return Optional.empty();
            long[] v = new long[8];
            for (int i = 0; i < 8; i++) v[i] = Long.parseLong(f[i + 1]);
            return Optional.of(new Ticks(v[0] + v[1] + v[2] + v[5] + v[6], v[3] + v[4], v[7]));
        }
    }

    static synchronized void markStart() {
        atStart = read();
        jvmCpuAtStart = jvmCpuNanos();
    }

    /** One line, or empty when the counters cannot be read. */
    static synchronized String summary() {
        Optional<Ticks> end = read();
        if (atStart.isEmpty() || end.isEmpty()) return "";
        long now = jvmCpuNanos();
        long jvm = jvmCpuAtStart < 0 || now < 0 ? -1 : now - jvmCpuAtStart;
        return describe(atStart.get(), end.get(), Runtime.getRuntime().availableProcessors(), jvm);
    }

    /** @param jvmCpuNanos the test JVM's own CPU time over the same span; negative when unknown */
    static String describe(Ticks from, Ticks to, int cores, long jvmCpuNanos) {
        long total = to.total() - from.total();
        if (total <= 0) return "";
        double busy = 100.0 * (to.busy() - from.busy()) / total;
        double steal = 100.0 * (to.steal() - from.steal()) / total;
        String jvm = jvmCpuNanos < 0 ? "" : String.format(Locale.ROOT, "; the test JVM itself used %.0f core-seconds", jvmCpuNanos / 1e9);
        return String.format(Locale.ROOT, "[dive-verify] while the acceptance tests ran, the machine's %d cores were %.0f %% busy and "
                + "%.1f %% of their time went to other guests of the host (steal, /proc/stat)%s", cores, busy, steal, jvm);
    }

    /** This JVM's CPU time (all threads, the JIT compilers included), or -1 where the platform does not say. */
    private static long jvmCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static Optional<Ticks> read() {
        try {
            if (!Files.isReadable(STAT)) return Optional.empty();
            return Files.readAllLines(STAT).stream().findFirst().flatMap(Ticks::parse);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
