package dive.verify.template;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InterpolatorTest {
    private final Map<String, String> env = Map.of("A", "alpha", "EMPTY", "");
    private final Interpolator.Location here = new Interpolator.Location("compose.yml", 7);

    private String run(String s) { return new Interpolator(env::get).interpolate(s, here); }

    @Test
    void expandsTheComposeForms() {
        assertThat(run("${A}-$A")).isEqualTo("alpha-alpha");
        assertThat(run("${MISSING:-dflt}")).isEqualTo("dflt");
        assertThat(run("${EMPTY:-dflt}")).isEqualTo("dflt");
        assertThat(run("${EMPTY-dflt}")).isEmpty();
        assertThat(run("$$A costs $$5")).isEqualTo("$A costs $5");
    }

    @Test
    void requiredVariableNamesFileLineAndVariable() {
        assertThatThrownBy(() -> run("${SECRET_FRA:?must be set in .env}"))
                .isInstanceOf(TemplateException.class)
                .hasMessage("compose.yml:7: variable SECRET_FRA: must be set in .env");
    }

    @Test
    void unsetWithoutDefaultIsRecorded() {
        Interpolator i = new Interpolator(env::get);
        assertThat(i.interpolate("x${NOPE}y", here)).isEqualTo("xy");
        assertThat(i.unsetVariables()).containsExactly("NOPE");
    }

    @Test
    void unterminatedBraceIsAnError() {
        assertThatThrownBy(() -> run("${A")).hasMessageContaining("unterminated ${");
    }
}
