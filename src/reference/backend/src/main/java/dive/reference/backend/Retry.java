package dive.reference.backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/** Retry schedules and a small runner; sleeping is injectable so tests run instantly. */
public final class Retry {
    private Retry() {}

    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;

        Sleeper REAL = Thread::sleep;
    }

    public interface Attempt<T> {
        T run() throws Exception;
    }

    public interface OnRetry {
        /** Called after failed attempt {@code attempt} (1-based), before sleeping {@code delayMs}. */
        void retrying(int attempt, long delayMs, Exception cause);
    }

    /**
     * Delays between connection attempts: {@code attempts - 1} delays starting at {@code initialMs},
     * each the previous one times {@code factor}, capped at {@code capMs}.
     * Defaults of the backend: 15 attempts, 1000 ms, x1.5, cap 10000 ms.
     */
    public static List<Long> growing(int attempts, long initialMs, double factor, long capMs) {
        List<Long> delays = new ArrayList<>();
        double d = initialMs;
        for (int i = 1; i < attempts; i++) {
            delays.add(Math.min(capMs, (long) d));
            d = d * factor;
        }
        return Collections.unmodifiableList(delays);
    }

    /** Doubling delays: base, 2*base, 4*base ... ({@code retries} of them). Defaults: 5 x from 2000 ms = 2,4,8,16,32 s. */
    public static List<Long> doubling(int retries, long baseMs) {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < retries; i++) {
            delays.add(baseMs << i);
        }
        return Collections.unmodifiableList(delays);
    }

    /**
     * Runs {@code action}; on a retryable failure calls {@code onRetry}, sleeps the next delay and tries again.
     * There are {@code delays.size() + 1} tries in all. A non-retryable failure, or the failure of the last try,
     * is thrown.
     */
    public static <T> T run(List<Long> delays, Predicate<Exception> retryable, Attempt<T> action, OnRetry onRetry,
                            Sleeper sleeper) throws Exception {
        for (int i = 0; ; i++) {
            try {
                return action.run();
            } catch (Exception e) {
                if (!retryable.test(e) || i >= delays.size()) {
                    throw e;
                }
                long delay = delays.get(i);
                onRetry.retrying(i + 1, delay, e);
                sleeper.sleep(delay);
            }
        }
    }
}
