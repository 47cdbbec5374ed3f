package dive.verify.deploy;

import dive.verify.template.ServiceSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The stages of a deployment whose services start by dependency: services of
 * different stages run at the same time, yet the stages stay the order of
 * record. A stage is complete when all its services are ready, and it is
 * announced and checkpointed only once every earlier stage is complete too,
 * so the state file always records a prefix of the stages, as resume expects.
 * A service that declares no {@code depends_on} waits for all earlier stages
 * ({@link #earlierStagesDone}): a template without dependencies deploys
 * exactly stage by stage.
 */
final class StageTracker {
    /** What happens when a stage completes, in order: the checkpoint, the timing, the progress line. */
    interface OnComplete {
        void stageComplete(int stage, List<ServiceSpec> services, Duration took);
    }

    private final List<Integer> order;
    private final Map<Integer, List<ServiceSpec>> services;
    private final Map<Integer, Set<String>> notReady = new HashMap<>();
    private final Map<Integer, CompletableFuture<Boolean>> done = new HashMap<>();
    private final Map<Integer, Instant> firstStart = new HashMap<>();
    private final Map<Integer, Instant> lastReady = new HashMap<>();
    private final Set<String> blocked = new LinkedHashSet<>();
    private final Consumer<Integer> onFirstStart;
    private final OnComplete onComplete;
    private final java.util.function.BiConsumer<Integer, List<String>> onLowestIncomplete;
    private int next;
    private boolean announced;

    /**
     * @param services           the services to deploy, by stage, in the order of record (stages with none count as complete)
     * @param onFirstStart       told once per stage, when its first service starts
     * @param onComplete         told once per stage, in stage order
     * @param onLowestIncomplete told whenever the lowest incomplete stage changes (where an interruption is recorded), with
     *                           its services not ready yet; stage 0 when all are complete
     */
    StageTracker(Map<Integer, List<ServiceSpec>> services, Consumer<Integer> onFirstStart, OnComplete onComplete,
                 java.util.function.BiConsumer<Integer, List<String>> onLowestIncomplete) {
        this.services = new LinkedHashMap<>(services);
        this.order = services.keySet().stream().sorted().toList();
        this.onFirstStart = onFirstStart;
        this.onComplete = onComplete;
        this.onLowestIncomplete = onLowestIncomplete;
        for (int stage : order) {
            notReady.put(stage, services.get(stage).stream().map(ServiceSpec::key).collect(Collectors.toCollection(LinkedHashSet::new)));
            done.put(stage, new CompletableFuture<>());
        }
    }

    /** Announces the first incomplete stage (and completes empty ones); call once before starting services. */
    synchronized void begin() {
        advance();
    }

    /** The stages being deployed, in order. */
    List<Integer> stages() { return order; }

    List<ServiceSpec> servicesOf(int stage) { return services.getOrDefault(stage, List.of()); }

    /** The services of {@code stage} not ready yet. */
    synchronized List<String> notReady(int stage) { return new ArrayList<>(notReady.getOrDefault(stage, Set.of())); }

    /** Completes with true once every stage before {@code stage} is complete, with false as soon as one of them failed. */
    CompletableFuture<Boolean> earlierStagesDone(int stage) {
        List<CompletableFuture<Boolean>> earlier = order.stream().filter(s -> s < stage).map(done::get).toList();
        CompletableFuture<Boolean> all = new CompletableFuture<>();
        if (earlier.isEmpty()) {
            all.complete(true);
            return all;
        }
        for (var f : earlier) f.thenAccept(ok -> { if (!ok) all.complete(false); });
        CompletableFuture.allOf(earlier.toArray(CompletableFuture[]::new)).thenRun(() -> all.complete(earlier.stream().allMatch(CompletableFuture::join)));
        return all;
    }

    /** A service of {@code stage} starts now; returns when its stage started (for the stage's budget). */
    Instant starting(ServiceSpec s) {
        boolean first;
        Instant at;
        synchronized (this) {
            first = !firstStart.containsKey(s.stage());
            at = firstStart.computeIfAbsent(s.stage(), k -> Instant.now());
        }
        if (first) onFirstStart.accept(s.stage());
        return at;
    }

    /** When the first service of {@code stage} started; null while none has. */
    synchronized Instant startedAt(int stage) { return firstStart.get(stage); }

    synchronized void ready(ServiceSpec s) {
        Set<String> left = notReady.get(s.stage());
        if (left != null && left.remove(s.key()) && left.isEmpty()) lastReady.put(s.stage(), Instant.now());
        advance();
    }

    /** A service failed: its stage will not complete, and the services waiting for it are told. */
    synchronized void failed(ServiceSpec s) {
        CompletableFuture<Boolean> f = done.get(s.stage());
        if (f != null) f.complete(false);
    }

    /** A service that was never started because an earlier stage failed: not a failure of its own. */
    synchronized void blocked(ServiceSpec s) {
        blocked.add(s.key());
        failed(s);
    }

    synchronized boolean wasBlocked(String service) { return blocked.contains(service); }

    /** The lowest stage not complete yet; 0 when all are. */
    synchronized int lowestIncomplete() { return next < order.size() ? order.get(next) : 0; }

    private void advance() {
        int before = next;
        while (next < order.size() && notReady.get(order.get(next)).isEmpty() && !failedStage(order.get(next))) {
            int stage = order.get(next);
            Instant start = firstStart.getOrDefault(stage, Instant.now());
            done.get(stage).complete(true);
            next++;
            // its own time, from its first start to its last service ready (not to when the earlier stages let it be announced)
            onComplete.stageComplete(stage, services.get(stage), Duration.between(start, lastReady.getOrDefault(stage, Instant.now())));
        }
        if (next != before || !announced) {
            announced = true;
            int lowest = lowestIncomplete();
            onLowestIncomplete.accept(lowest, notReady(lowest));
        }
    }

    private boolean failedStage(int stage) {
        CompletableFuture<Boolean> f = done.get(stage);
        return f.isDone() && !f.join();
    }
}
