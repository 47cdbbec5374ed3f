package dive.verify.template;

/*
 * The string-interpolation test table of the Compose reference implementation, ported to this
 * Interpolator.
 *
 * Source: github.com/compose-spec/compose-go, file template/template_test.go,
 * commit e70e961c3a3acebf0800b882f1afb3dbf1fb74a2, Copyright 2020 The Compose Specification
 * Authors, licensed under the Apache License, Version 2.0
 * (http://www.apache.org/licenses/LICENSE-2.0).
 *
 * Each upstream case (template, environment, expected output or expected error) is restated
 * below as a row of our own; the source column names the Go test it comes from (#n = its n-th
 * case, counted from 1). The environment is upstream's: FOO=first, BAR set but empty,
 * JSON={"json":2}, anything else unset.
 *
 * How upstream assertions map onto this API:
 *  - a Go error is a TemplateException; its message is ours (file:line prefix, then the
 *    variable and message for ${X:?msg}, or the malformed expression and what was expected).
 *    Upstream "required variable X is missing a value: msg" reads "variable X: msg" here, the
 *    wording the loader has always used; with no message both read
 *    "required variable X is missing a value".
 *  - a logged "variable is not set" warning is an entry in unsetVariables(); every row that
 *    expects a value also pins that list (empty unless stated), so warnings are checked
 *    everywhere, not only in upstream's three TestLazy* cases.
 *  - TestSubstitutionFunctionChoice calls an internal Go function that picks the operator; here
 *    each input is evaluated in an environment where only the right operator gives the result.
 *  - TestSubstituteWithCustomFunc plugs in a function that fails on an unset variable; this API
 *    has no such hook, its counterpart is the unset list the loader reports, so the three inputs
 *    are checked with it.
 *  - Not ported: the first four cases of TestSubstituteWithReplacementFunc and the four of
 *    TestSubstituteWithReplacementAppliedFunc, which test a Go replacement-function hook
 *    ("foobar" for empty results) that this API does not offer; the one case there that uses
 *    the standard rules (#5) is ported. TestExtractVariables (variables_test.go) lists variables
 *    of a whole YAML tree and is not string interpolation.
 */

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComposeInterpolationSpecTest {

    private static final Map<String, String> UPSTREAM_ENV = Map.of("FOO", "first", "BAR", "", "JSON", "{\"json\":2}");
    private static final Interpolator.Location HERE = new Interpolator.Location("compose.yml", 7);
    private static final String AT = "compose.yml:7: ";

    /** One row: either {@code expected} (with the unset variables reported) or {@code error}. */
    record Case(String source, String template, Map<String, String> env, String expected, List<String> unset, String error) {
        @Override public String toString() { return source + "  " + template; }
    }

    private static Case ok(String source, String template, String expected, String... unset) {
        return new Case(source, template, UPSTREAM_ENV, expected, List.of(unset), null);
    }

    private static Case okIn(Map<String, String> env, String source, String template, String expected, String... unset) {
        return new Case(source, template, env, expected, List.of(unset), null);
    }

    private static Case fails(String source, String template, String error) {
        return new Case(source, template, UPSTREAM_ENV, null, null, AT + error);
    }

    private static Case failsIn(Map<String, String> env, String source, String template, String error) {
        return new Case(source, template, env, null, null, AT + error);
    }

    private static String missingName(String expr) {
        return "invalid interpolation \"" + expr + "\": expected a variable name ([_a-zA-Z][_a-zA-Z0-9]*) after \"${\"";
    }

    private static String badOperator(String expr, String name) {
        return "invalid interpolation \"" + expr + "\": expected \"}\" or one of :- - :+ + :? ? after the variable name " + name;
    }

    static List<Case> upstreamTable() {
        List<Case> t = new ArrayList<>();
        t.add(ok("TestEscaped", "$${foo}", "${foo}"));
        t.add(ok("TestSubstituteNoMatch", "foo", "foo"));

        t.add(ok("TestUnescaped#1", "a $ string", "a $ string"));
        t.add(ok("TestUnescaped#2", "^REGEX$", "^REGEX$"));
        t.add(ok("TestUnescaped#3", "$}", "$}"));
        t.add(ok("TestUnescaped#4", "$", "$"));

        t.add(fails("TestInvalid#1", "${", "unterminated ${ in \"${\": expected a variable name and a closing \"}\""));
        t.add(fails("TestInvalid#2", "${}", missingName("${}")));
        t.add(fails("TestInvalid#3", "${ }", missingName("${ }")));
        t.add(fails("TestInvalid#4", "${ foo}", missingName("${ foo}")));
        t.add(fails("TestInvalid#5", "${foo }", badOperator("${foo }", "foo")));
        t.add(fails("TestInvalid#6", "${foo!}", badOperator("${foo!}", "foo")));

        t.add(ok("TestNonBraced", "$FOO-bar", "first-bar"));

        t.add(ok("TestNoValueNoDefault#1", "This ${missing} var", "This  var", "missing"));
        t.add(ok("TestNoValueNoDefault#2", "This ${BAR} var", "This  var"));

        t.add(ok("TestValueNoDefault#1", "This $FOO var", "This first var"));
        t.add(ok("TestValueNoDefault#2", "This ${FOO} var", "This first var"));

        t.add(ok("TestNoValueWithDefault#1", "ok ${missing:-def}", "ok def"));
        t.add(ok("TestNoValueWithDefault#2", "ok ${missing-def}", "ok def"));

        t.add(ok("TestLazyDefaultDoesNotWarn", "${A:+${A},}B", "B"));
        t.add(ok("TestLazyDefaultWarnsWhenUsed", "${A:-${B}}", "", "B"));
        t.add(okIn(Map.of("A", "value"), "TestLazyRequiredMessageDoesNotWarn", "${A?${B}}", "value"));

        t.add(ok("TestEmptyValueWithSoftDefault", "ok ${BAR:-def}", "ok def"));
        t.add(ok("TestValueWithSoftDefault", "ok ${FOO:-def}", "ok first"));
        t.add(ok("TestEmptyValueWithHardDefault", "ok ${BAR-def}", "ok "));
        t.add(ok("TestPresentValueWithUnset", "ok ${UNSET_VAR:+presence_value}", "ok "));
        t.add(ok("TestPresentValueWithUnset2", "ok ${UNSET_VAR+presence_value}", "ok "));
        t.add(ok("TestPresentValueWithNonEmpty", "ok ${FOO:+presence_value}", "ok presence_value"));
        t.add(ok("TestPresentValueAndNonEmptyWithNonEmpty", "ok ${FOO+presence_value}", "ok presence_value"));
        t.add(ok("TestPresentValueWithSet", "ok ${BAR+presence_value}", "ok presence_value"));
        t.add(ok("TestPresentValueAndNotEmptyWithSet", "ok ${BAR:+presence_value}", "ok "));
        t.add(ok("TestNonAlphanumericDefault", "ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric"));

        t.add(ok("TestInterpolationExternalInterference#1", "-ok ${BAR:-defaultValue}", "-ok defaultValue"));
        t.add(ok("TestInterpolationExternalInterference#2", "+ok ${UNSET:-${BAR-defaultValue}}", "+ok "));
        t.add(ok("TestInterpolationExternalInterference#3", "-ok ${FOO:-defaultValue}", "-ok first"));
        t.add(ok("TestInterpolationExternalInterference#4", ":-ok ${UNSET-defaultValue}", ":-ok defaultValue"));
        t.add(ok("TestInterpolationExternalInterference#5", ":-ok ${BAR-defaultValue}", ":-ok "));
        t.add(ok("TestInterpolationExternalInterference#6", ":?ok ${BAR-defaultValue}", ":?ok "));
        t.add(ok("TestInterpolationExternalInterference#7", ":?ok ${BAR:-defaultValue}", ":?ok defaultValue"));
        t.add(ok("TestInterpolationExternalInterference#8", ":+ok ${BAR:-defaultValue}", ":+ok defaultValue"));
        t.add(ok("TestInterpolationExternalInterference#9", "+ok ${BAR-defaultValue}", "+ok "));
        t.add(ok("TestInterpolationExternalInterference#10", "?ok ${BAR:-defaultValue}", "?ok defaultValue"));

        t.add(ok("TestDefaultsWithNestedExpansion#1", "ok ${UNSET_VAR-$FOO}", "ok first"));
        t.add(ok("TestDefaultsWithNestedExpansion#2", "ok ${UNSET_VAR-${FOO}}", "ok first"));
        t.add(ok("TestDefaultsWithNestedExpansion#3", "ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first"));
        t.add(ok("TestDefaultsWithNestedExpansion#4", "ok ${BAR:-$FOO}", "ok first"));
        t.add(ok("TestDefaultsWithNestedExpansion#5", "ok ${BAR:-${FOO}}", "ok first"));
        t.add(ok("TestDefaultsWithNestedExpansion#6", "ok ${BAR:-${FOO} ${FOO}}", "ok first first"));
        t.add(ok("TestDefaultsWithNestedExpansion#7", "ok ${BAR+$FOO}", "ok first"));
        t.add(ok("TestDefaultsWithNestedExpansion#8", "ok ${BAR+$FOO ${FOO:+second}}", "ok first second"));

        t.add(fails("TestMandatoryVariableErrors#1", "not ok ${UNSET_VAR:?Mandatory Variable Unset}", "variable UNSET_VAR: Mandatory Variable Unset"));
        t.add(fails("TestMandatoryVariableErrors#2", "not ok ${BAR:?Mandatory Variable Empty}", "variable BAR: Mandatory Variable Empty"));
        t.add(fails("TestMandatoryVariableErrors#3", "not ok ${UNSET_VAR:?}", "required variable UNSET_VAR is missing a value"));
        t.add(fails("TestMandatoryVariableErrors#4", "not ok ${UNSET_VAR?Mandatory Variable Unset}", "variable UNSET_VAR: Mandatory Variable Unset"));
        t.add(fails("TestMandatoryVariableErrors#5", "not ok ${UNSET_VAR?}", "required variable UNSET_VAR is missing a value"));

        t.add(fails("TestMandatoryVariableErrorsWithNestedExpansion#1", "not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}", "variable UNSET_VAR: Mandatory Variable first"));
        t.add(fails("TestMandatoryVariableErrorsWithNestedExpansion#2", "not ok ${UNSET_VAR?Mandatory Variable ${FOO}}", "variable UNSET_VAR: Mandatory Variable first"));

        t.add(ok("TestDefaultsForMandatoryVariables#1", "ok ${FOO:?err}", "ok first"));
        t.add(ok("TestDefaultsForMandatoryVariables#2", "ok ${FOO?err}", "ok first"));
        t.add(ok("TestDefaultsForMandatoryVariables#3", "ok ${BAR?err}", "ok "));

        // Upstream's custom function fails on an unset variable; here that is the unset report.
        t.add(ok("TestSubstituteWithCustomFunc#1", "ok ${FOO}", "ok first"));
        t.add(ok("TestSubstituteWithCustomFunc#2", "ok ${BAR}", "ok "));
        t.add(ok("TestSubstituteWithCustomFunc#3", "ok ${NOTHERE}", "ok ", "NOTHERE"));

        t.add(ok("TestSubstituteWithReplacementFunc#5", "ok ${SUBDOMAIN:-redis}.${FOO:?}", "ok redis.first"));

        t.add(fails("TestPrecedence#1", "${UNSET_VAR?bar-baz}", "variable UNSET_VAR: bar-baz"));
        t.add(ok("TestPrecedence#2", "${UNSET_VAR-myerror?msg}", "myerror?msg"));
        t.add(ok("TestPrecedence#3", "${FOO?bar-baz}", "first"));
        t.add(ok("TestPrecedence#4", "${BAR:-default_value_for_empty_var}", "default_value_for_empty_var"));
        t.add(ok("TestPrecedence#5", "${UNSET_VAR-default_value_for_unset_var}", "default_value_for_unset_var"));

        // The operator is the first one after the name; the rest, operators included, is its argument.
        Map<String, String> unset = Map.of();
        Map<String, String> empty = Map.of("VARNAME", "");
        Map<String, String> set = Map.of("VARNAME", "x");
        t.add(failsIn(empty, "TestSubstitutionFunctionChoice#1 (:?)", "${VARNAME:?val?ue}", "variable VARNAME: val?ue"));
        t.add(failsIn(unset, "TestSubstitutionFunctionChoice#2 (?)", "${VARNAME?val:?ue}", "variable VARNAME: val:?ue"));
        t.add(failsIn(unset, "TestSubstitutionFunctionChoice#3 (?)", "${VARNAME?va-lu+e:?e}", "variable VARNAME: va-lu+e:?e"));
        t.add(failsIn(unset, "TestSubstitutionFunctionChoice#4 (?)", "${VARNAME?va+lu-e:?e}", "variable VARNAME: va+lu-e:?e"));
        t.add(okIn(empty, "TestSubstitutionFunctionChoice#5 (:-)", "${VARNAME:-value}", "value"));
        t.add(okIn(unset, "TestSubstitutionFunctionChoice#6 (-)", "${VARNAME-va:-lu:?e}", "va:-lu:?e"));
        t.add(okIn(unset, "TestSubstitutionFunctionChoice#7 (-)", "${VARNAME-va+lu?e}", "va+lu?e"));
        t.add(okIn(unset, "TestSubstitutionFunctionChoice#8 (-)", "${VARNAME-va?lu+e}", "va?lu+e"));
        t.add(okIn(set, "TestSubstitutionFunctionChoice#9 (:+)", "${VARNAME:+va:?lu:-e}", "va:?lu:-e"));
        t.add(okIn(empty, "TestSubstitutionFunctionChoice#10 (+)", "${VARNAME+va:+lue}", "va:+lue"));
        t.add(okIn(set, "TestSubstitutionFunctionChoice#11 (+)", "${VARNAME+va?lu-e}", "va?lu-e"));
        t.add(okIn(set, "TestSubstitutionFunctionChoice#12 (+)", "${VARNAME+va-lu?e}", "va-lu?e"));

        t.add(ok("TestNoValueWithCurlyBracesDefault#1", "ok ${missing:-{\"json\":1}}", "ok {\"json\":1}"));
        t.add(ok("TestNoValueWithCurlyBracesDefault#2", "ok ${missing-{\"json\":1}}", "ok {\"json\":1}"));
        t.add(ok("TestValueWithCurlyBracesDefault#1", "ok ${JSON:-{\"json\":1}}", "ok {\"json\":2}"));
        t.add(ok("TestValueWithCurlyBracesDefault#2", "ok ${JSON-{\"json\":1}}", "ok {\"json\":2}"));
        return t;
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("upstreamTable")
    void behavesAsComposeGo(Case c) {
        Interpolator interpolator = new Interpolator(c.env()::get);
        if (c.error() != null) {
            assertThatThrownBy(() -> interpolator.interpolate(c.template(), HERE))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage(c.error());
        } else {
            assertThat(interpolator.interpolate(c.template(), HERE)).isEqualTo(c.expected());
            assertThat(interpolator.unsetVariables()).as("variables reported unset").containsExactlyElementsOf(c.unset());
        }
    }
}
