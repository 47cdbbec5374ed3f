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
        assertThatThrownBy(() -> run("x ${MISSING:-${A}")).hasMessage("compose.yml:7: unterminated ${ in \"${MISSING:-${A}\": expected a closing \"}\"");
    }

    @Test
    void nestsToAnyDepthAndKeepsTheTextAround() {
        assertThat(run("<${MISSING:-${EMPTY:-${A:+[${A}]}}}>")).isEqualTo("<[alpha]>");
        assertThat(run("${MISSING:-a${MISSING:-b${MISSING:-c${A}c}b}a}")).isEqualTo("abcalphacba");
        assertThat(run("${A:+$$A costs $$5 and ${A}}")).isEqualTo("$A costs $5 and alpha");
        assertThat(run("${MISSING:-$}")).isEqualTo("$");
    }

    @Test
    void onlyTheBranchTakenIsEvaluated() {
        Interpolator i = new Interpolator(env::get);
        assertThat(i.interpolate("${A:-${NOPE}}${A?${ALSO_NOPE:?never}}${MISSING+${NOR_THIS}}", here)).isEqualTo("alphaalpha");
        assertThat(i.unsetVariables()).isEmpty();
    }

    @Test
    void theRequiredMessageIsInterpolated() {
        assertThatThrownBy(() -> run("${SECRET_FRA:?set it next to ${A} in $A.env}"))
                .hasMessage("compose.yml:7: variable SECRET_FRA: set it next to alpha in alpha.env");
        assertThatThrownBy(() -> run("${EMPTY:?}")).hasMessage("compose.yml:7: required variable EMPTY is missing a value");
    }

    @Test
    void unbracedNamesStopAtTheFirstCharacterOutsideTheNameAlphabet() {
        assertThat(run("$A.$A-x/$A_1/$1/$-")).isEqualTo("alpha.alpha-x//$1/$-");
    }

    @Test
    void malformedExpressionsAreNamedWithWhatWasExpected() {
        assertThatThrownBy(() -> run("${A/alpha/beta}"))
                .hasMessage("compose.yml:7: invalid interpolation \"${A/alpha/beta}\": expected \"}\" or one of :- - :+ + :? ? after the variable name A");
        assertThatThrownBy(() -> run("x ${1A} y"))
                .hasMessage("compose.yml:7: invalid interpolation \"${1A}\": expected a variable name ([_a-zA-Z][_a-zA-Z0-9]*) after \"${\"");
        // Checked whatever the environment, in the branch not taken too.
        assertThatThrownBy(() -> run("${A:-${}}")).hasMessageContaining("invalid interpolation \"${}\"");
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

}
