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

    @Test
    void aLoneOrTrailingDollarStaysADollar() {
        assertThat(run("a$")).isEqualTo("a$");
        assertThat(run("$")).isEqualTo("$");
        assertThat(run("cost $5 or $-")).isEqualTo("cost $5 or $-");
    }

    @Test
    void bareNamesMayStartWithUnderscoreAndStopAtTheFirstOtherCharacter() {
        Interpolator i = new Interpolator(Map.of("_X1", "u", "A", "alpha")::get);
        assertThat(i.interpolate("$_X1.$A-$A_", here)).isEqualTo("u.alpha-");
        assertThat(i.unsetVariables()).containsExactly("A_");
    }

    @Test
    void aClosingBraceBeforeTheReferenceIsText() {
        assertThat(run("x}${A}")).isEqualTo("x}alpha");
        assertThat(run("${A}${A}")).isEqualTo("alphaalpha");
    }

    @Test
    void theDashFormWithoutColonUsesTheDefaultOnlyWhenUnset() {
        assertThat(run("${MISSING-dflt}")).isEqualTo("dflt");
        assertThat(run("${A-dflt}")).isEqualTo("alpha");
        assertThat(run("${A:-dflt}")).isEqualTo("alpha");
    }

    @Test
    void theQuestionFormsRequireTheVariable() {
        assertThat(run("${A?no}")).isEqualTo("alpha");
        assertThat(run("${EMPTY?no}")).isEmpty();
        assertThatThrownBy(() -> run("${EMPTY:?}")).hasMessage("compose.yml:7: variable EMPTY: required variable EMPTY is not set");
        assertThatThrownBy(() -> run("${MISSING?gone}")).hasMessage("compose.yml:7: variable MISSING: gone");
    }

    @Test
    void unsupportedFormsAndBadNamesAreErrors() {
        assertThatThrownBy(() -> run("${A:+x}")).isInstanceOf(TemplateException.class)
                .hasMessage("compose.yml:7: unsupported interpolation ${A:+x}; expected ${NAME}, ${NAME:-default} or ${NAME:?message}");
        assertThatThrownBy(() -> run("${:-x}")).hasMessage("compose.yml:7: invalid variable name \"\" in ${...}");
        assertThatThrownBy(() -> run("${1A}")).hasMessage("compose.yml:7: invalid variable name \"1A\" in ${...}");
    }
}
