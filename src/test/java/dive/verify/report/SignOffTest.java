package dive.verify.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each claim gets this run's verdict from its scenarios; a refuted claim comes first, with its cause. */
class SignOffTest {
    private static final SignOff.Claim KAS = new SignOff.Claim("Fix #4: KAS is deployed", List.of("KAS answers", "KAS in no stage"));

    @Test
    void aClaimHoldsOnlyWhenEveryScenarioDecidingItPassed() {
        Map<String, SignOff.Outcome> all = Map.of("KAS answers", new SignOff.Outcome("KAS answers", "passed", null),
                "KAS in no stage", new SignOff.Outcome("KAS in no stage", "passed", null));
        assertThat(SignOff.judge(KAS, all).verdict()).isEqualTo(SignOff.Verdict.HOLDS);
        assertThat(SignOff.judge(KAS, Map.of("KAS answers", all.get("KAS answers"))).verdict())
                .as("one deciding scenario did not run").isEqualTo(SignOff.Verdict.NOT_RUN);
        assertThat(SignOff.judge(KAS, Map.of("KAS answers", new SignOff.Outcome("KAS answers", "failed", "missing containers: [kas-fra]"),
                "KAS in no stage", all.get("KAS in no stage"))).verdict()).isEqualTo(SignOff.Verdict.REFUTED);
    }

    @Test
    void aRefutedClaimIsListedFirstWithItsCause() {
        var redis = new SignOff.Claim("Redis reads its config", List.of("redis"));
        var judged = SignOff.judgeAll(List.of(redis, KAS), Map.of("redis", new SignOff.Outcome("redis", "passed", null),
                "KAS answers", new SignOff.Outcome("KAS answers", "failed", "missing containers: [kas-fra]")));
        String md = SignOffPage.markdown("t", judged, new LinkedHashMap<>(), null);
        assertThat(md).contains("1 of 2 claims hold, 1 refuted");
        assertThat(md.indexOf("refuted | Fix #4")).as("refuted first").isLessThan(md.indexOf("holds | Redis"));
        assertThat(md).contains("Fix #4: KAS is deployed<br>✘ **KAS answers**: missing containers: [kas-fra]");
        String html = SignOffPage.html("t", judged, Map.of());
        assertThat(html).contains("data-claims=\"2\" data-holds=\"1\" data-refuted=\"1\"");
    }

    @Test
    void aSkippedScenarioLeavesItsClaimNotRunWithTheReason() {
        var judged = SignOff.judge(KAS, Map.of("KAS answers", new SignOff.Outcome("KAS answers", "passed", null),
                "KAS in no stage", new SignOff.Outcome("KAS in no stage", "skipped", "not applicable in attach mode")));
        assertThat(judged.verdict()).isEqualTo(SignOff.Verdict.NOT_RUN);
        assertThat(SignOffPage.markdown("t", List.of(judged), Map.of(), null))
                .contains("Fix #4: KAS is deployed<br>– **KAS in no stage**: not applicable in attach mode");
    }

    @Test
    void theClaimsOfTheSeedAreAllThere() throws IOException {
        var claims = SignOff.claims();
        assertThat(claims).hasSizeGreaterThanOrEqualTo(10);
        assertThat(claims).anySatisfy(c -> assertThat(c.scenarios()).hasSize(27));
    }

    @Test
    void everyScenarioAClaimNamesExistsInTheFeatures() throws IOException {
        // claims are tied to scenarios by name: a renamed scenario would leave its claim "not run" for ever
        java.util.Set<String> scenarios = new java.util.HashSet<>();
        try (var files = Files.list(Path.of("features"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".feature")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String t = line.trim();
                    if (t.startsWith("Scenario:")) scenarios.add(t.substring("Scenario:".length()).trim());
                }
            }
        }
        for (var c : SignOff.claims()) {
            assertThat(scenarios).as("scenarios named by the claim \"%s\"", c.text()).containsAll(c.scenarios());
        }
    }

    @Test
    void outcomesComeFromTheScenariosNotTheUnitTests(@TempDir Path results) throws IOException {
        Files.writeString(results.resolve("a-result.json"), "{\"name\":\"KAS answers\",\"status\":\"failed\",\"stop\":1,"
                + "\"statusDetails\":{\"message\":\"missing containers\"},\"labels\":[{\"name\":\"gherkin_uri\",\"value\":\"file:///f/02-x.feature\"}]}");
        Files.writeString(results.resolve("b-result.json"), "{\"name\":\"KAS answers\",\"status\":\"passed\",\"stop\":2,"
                + "\"labels\":[{\"name\":\"gherkin_uri\",\"value\":\"file:///f/02-x.feature\"}]}");
        Files.writeString(results.resolve("c-result.json"), "{\"name\":\"unitTest\",\"status\":\"passed\",\"stop\":1,\"labels\":[]}");
        Files.writeString(results.resolve("att-attachment.txt"), "dive-spoke-fra: keycloak-fra 31.7 s");
        Files.writeString(results.resolve("d-container.json"), "{\"afters\":[{\"name\":\"hook\",\"attachments\":[{\"name\":"
                + "\"deployment dive-spoke-fra: timings and images\",\"source\":\"att-attachment.txt\"}]}]}");
        var figures = new LinkedHashMap<String, String>();
        var outcomes = SignOff.outcomes(results, figures);
        assertThat(figures).as("what the hooks attached").containsEntry("deployment dive-spoke-fra: timings and images",
                "dive-spoke-fra: keycloak-fra 31.7 s");
        assertThat(outcomes).containsOnlyKeys("KAS answers");
        assertThat(outcomes.get("KAS answers").status()).as("the latest attempt").isEqualTo("passed");
    }
}
