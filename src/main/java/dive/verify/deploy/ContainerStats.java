package dive.verify.deploy;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Statistics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the engine says a deployment's containers use: CPU as cumulative
 * nanoseconds (two samples some seconds apart give the average share of a
 * core in between, which a single engine snapshot of one second cannot), and
 * memory as now in use and as the cgroup's peak since the container started.
 */
public final class ContainerStats {
    /** One container's counters at one moment. */
    public record Sample(String name, long cpuNanos, long memoryBytes, long peakMemoryBytes, long atNanos) {}

    private ContainerStats() {}

    /** The counters of every running container whose label {@code labelKey} is {@code labelValue}. */
    public static Map<String, Sample> sample(String labelKey, String labelValue) {
        Map<String, Sample> out = new LinkedHashMap<>();
        var containers = Docker.client().listContainersCmd().withLabelFilter(Map.of(labelKey, labelValue)).exec();
        for (var c : containers) {
            String name = c.getNames()[0].replaceFirst("^/", "");
            Statistics st = once(c.getId());
            if (st == null || st.getCpuStats() == null || st.getCpuStats().getCpuUsage() == null) continue;
            long cpu = nz(st.getCpuStats().getCpuUsage().getTotalUsage());
            long mem = 0, peak = 0;
            if (st.getMemoryStats() != null) {
                long cache = st.getMemoryStats().getStats() == null ? 0 : nz(st.getMemoryStats().getStats().getCache());
                mem = Math.max(0, nz(st.getMemoryStats().getUsage()) - cache);
                peak = nz(st.getMemoryStats().getMaxUsage());
            }
            out.put(name, new Sample(name, cpu, mem, peak, System.nanoTime()));
        }
        return out;
    }

    /** The share of one core (percent) each container used between two samples, and the sum as "total". */
    public static Map<String, Double> cpuPercent(Map<String, Sample> first, Map<String, Sample> second) {
        Map<String, Double> out = new LinkedHashMap<>();
        double total = 0;
        for (var e : second.entrySet()) {
            Sample a = first.get(e.getKey());
            if (a == null) continue;
            Sample b = e.getValue();
            double wall = b.atNanos() - a.atNanos();
            if (wall <= 0) continue;
            double pct = 100.0 * (b.cpuNanos() - a.cpuNanos()) / wall;
            out.put(e.getKey(), pct);
            total += pct;
        }
        out.put("total", total);
        return out;
    }

    /** Sums the memory in use (or the peaks) of a sample, in MiB. */
    public static double mib(Map<String, Sample> sample, boolean peak) {
        return sample.values().stream().mapToLong(s -> peak ? s.peakMemoryBytes() : s.memoryBytes()).sum() / (1024.0 * 1024.0);
    }

    /** Waits {@code window} between two samples and returns the CPU shares over it. */
    public static Map<String, Double> cpuOver(String labelKey, String labelValue, Duration window) {
        Map<String, Sample> a = sample(labelKey, labelValue);
        try {
            Thread.sleep(window.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return cpuPercent(a, sample(labelKey, labelValue));
    }

    private static Statistics once(String id) {
        try (Last cb = Docker.client().statsCmd(id).withNoStream(true).exec(new Last())) {
            cb.awaitCompletion(10, TimeUnit.SECONDS);
            return cb.value;
        } catch (Exception e) {
            return null; // gone meanwhile: not counted
        }
    }

    /** Keeps the last statistics the engine sent (one, with no-stream). */
    private static final class Last extends ResultCallback.Adapter<Statistics> {
        volatile Statistics value;

        @Override public void onNext(Statistics s) { value = s; }
    }

    private static long nz(Long v) { return v == null ? 0 : v; }
}
