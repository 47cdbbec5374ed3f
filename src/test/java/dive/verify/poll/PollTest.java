package dive.verify.poll;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PollTest {
    private static final Duration EVERY = Duration.ofMillis(10);

    @Test
    void stopsAtTheFirstLookThatIsRightAndHandsItBack() {
        AtomicInteger looks = new AtomicInteger();
        var seen = Poll.until(Duration.ofSeconds(5), EVERY, looks::incrementAndGet, n -> n >= 3);
        assertThat(seen.done()).isTrue();
        assertThat(seen.last()).isEqualTo(3);
        assertThat(looks.get()).isEqualTo(3);
    }

    @Test
    void lookingOnceIsEnoughWhenItIsAlreadyRight() {
        AtomicInteger looks = new AtomicInteger();
        assertThat(Poll.until(Duration.ofSeconds(5), Duration.ofSeconds(1), looks::incrementAndGet, n -> true).done()).isTrue();
        assertThat(looks.get()).as("no delay before the first look").isEqualTo(1);
    }

    @Test
    void aWaitThatRunsOutSaysWhatItSawLast() {
        AtomicInteger looks = new AtomicInteger();
        var seen = Poll.until(Duration.ofMillis(200), EVERY, () -> "look " + looks.incrementAndGet(), s -> false);
        assertThat(seen.done()).isFalse();
        assertThat(seen.last()).as("the last look, not the first").matches("look [0-9]+").isNotEqualTo("look 1");
    }

    @Test
    void aLookThatThrowsEndsTheWaitWithItsOwnException() {
        AtomicInteger looks = new AtomicInteger();
        for (int throwingLook : new int[] {1, 3}) {
            looks.set(0);
            assertThatThrownBy(() -> Poll.until(Duration.ofSeconds(5), EVERY, () -> {
                if (looks.incrementAndGet() == throwingLook) throw new IllegalStateException("engine gone at look " + throwingLook);
                return looks.get();
            }, n -> false)).as("thrown at look %d", throwingLook).isInstanceOf(IllegalStateException.class).hasMessage("engine gone at look " + throwingLook);
        }
    }

    @Test
    void aTimeNoLongerThanOneIntervalGetsTheFirstLookOnly() {
        AtomicInteger looks = new AtomicInteger();
        var seen = Poll.until(Duration.ofMillis(5), EVERY, looks::incrementAndGet, n -> false);
        assertThat(seen).isEqualTo(new Poll.Seen<>(1, false));
    }
}
