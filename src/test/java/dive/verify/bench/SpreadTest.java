package dive.verify.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpreadTest {
    @Test
    void oddRoundsTakeTheMiddleOne() {
        assertThat(Spread.of(List.of(42.2, 37.8, 41.5))).isEqualTo(new Spread(37.8, 41.5, 42.2, 3));
    }

    @Test
    void evenRoundsAverageTheMiddleTwo() {
        assertThat(Spread.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
    }

    @Test
    void formatsMinMedianMax() {
        assertThat(Spread.of(List.of(1.0, 2.0, 3.0)).format("s")).isEqualTo("1.0 / 2.0 / 3.0 s");
    }

    @Test
    void nothingMeasuredIsRefused() {
        assertThatThrownBy(() -> Spread.of(List.of())).hasMessageContaining("no measurement");
    }
}
