package dive.verify.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SweeperTest {
    @Test
    void whatIsLabelledWithARunIsEmptyOnlyWhenNothingIs() {
        assertThat(new Sweeper.Labelled(List.of(), List.of(), List.of()).isEmpty()).isTrue();
        assertThat(new Sweeper.Labelled(List.of("c"), List.of(), List.of()).isEmpty()).isFalse();
        assertThat(new Sweeper.Labelled(List.of(), List.of("n"), List.of()).isEmpty()).isFalse();
        assertThat(new Sweeper.Labelled(List.of(), List.of(), List.of("v")).isEmpty()).isFalse();
        assertThat(new Sweeper.Labelled(List.of("c"), List.of("n"), List.of()))
                .hasToString("{containers=[c], networks=[n], volumes=[]}")
                .isEqualTo(new Sweeper.Labelled(new java.util.ArrayList<>(List.of("c")), List.of("n"), List.of()));
    }
}
