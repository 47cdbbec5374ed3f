package dive.verify.steps;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Independent work (deploying two instances, restarting two spokes) done side
 * by side, each on a thread of its own named after it. Every piece is waited
 * for, so none is left running when a step ends; the first failure is then
 * thrown as it was.
 */
final class SideBySide {
    private SideBySide() {}

    /** @return each piece's result, by the name it was given, in the order given */
    static <T> Map<String, T> run(Map<String, Supplier<T>> work) {
        Map<String, CompletableFuture<T>> running = new LinkedHashMap<>();
        work.forEach((name, piece) -> running.put(name, CompletableFuture.supplyAsync(piece, r -> new Thread(r, name).start())));
        Map<String, T> results = new LinkedHashMap<>();
        Throwable failed = null;
        for (var e : running.entrySet()) {
            try {
                results.put(e.getKey(), e.getValue().join());
            } catch (CompletionException ex) {
                if (failed == null) failed = ex.getCause() == null ? ex : ex.getCause();
            }
        }
        if (failed instanceof Error err) throw err;
        if (failed instanceof RuntimeException r) throw r;
        if (failed != null) throw new IllegalStateException(failed);
        return results;
    }
}
