package dive.verify.poll;

import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * The harness's one way of waiting for something: look, and look again every
 * {@code every}, until what it sees is what it waits for or the time is up.
 * It always hands back what it saw last, so that a wait that ran out can say
 * what it saw instead of only "timed out". The first look is taken at once,
 * so there is always a last one; Awaitility does the polling after it. An
 * exception thrown by a look ends the wait and reaches the caller as it is.
 * (Waits for something to settle, such as logs that stop growing, compare
 * looks with each other and use Awaitility directly.)
 */
public final class Poll {
    private Poll() {}

    /** What the last look saw, and whether that was what the wait was for. */
    public record Seen<T>(T last, boolean done) {}

    /** Looks at once, then every {@code every} for at most {@code within}, until {@code done} holds for what it sees. */
    public static <T> Seen<T> until(Duration within, Duration every, Supplier<T> look, Predicate<? super T> done) {
        AtomicReference<T> last = new AtomicReference<>(look.get());
        if (done.test(last.get())) return new Seen<>(last.get(), true);
        if (within.compareTo(every) <= 0) return new Seen<>(last.get(), false);
        try {
            await().atMost(within).pollDelay(every).pollInterval(every).until(() -> {
                last.set(look.get());
                return done.test(last.get());
            });
            return new Seen<>(last.get(), true);
        } catch (ConditionTimeoutException late) {
            return new Seen<>(last.get(), false);
        }
    }
}
