package dive.verify.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deliberately failing run, end to end without a container: the hand-made
 * results in {@code failing-run/} (one scenario failed: kas-fra never created;
 * one broke: its deployment's stage 3 did not come up; one was skipped: not
 * applicable in attach mode; two passed; one unit test) are curated as
 * {@code ./dive-verify report} does, then summed up. The refuted claims must
 * come first, each with the failed scenario's one-line headline and a link to
 * its page in the report.
 */
class FailingRunSignOffTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String MISSING_KAS = "all nine services of the spoke exist and are healthy on spoke FRA: missing containers: [kas-fra (never created)].";
    static final String STAGE_3 = "the whole spoke is deployed stage by stage on spoke FRA: Deployment dive-spoke-fra failed: stage 3 did not come up";

    @TempDir Path dir;
    Path results, report;

    static Path fixture() throws URISyntaxException {
        return Path.of(FailingRunSignOffTest.class.getResource("failing-run").toURI());
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList()) Files.copy(f, to.resolve(f.getFileName().toString()));
        }
    }

    @BeforeEach
    void curatedResultsAndTheirReport() throws Exception {
        results = dir.resolve("allure-results");
        copy(fixture(), results);
        ReportCuration.curateAll(results);
        // what `allure generate` writes of each test that the sign-off links to: a uid of its own, the result's historyId
        report = Files.createDirectories(dir.resolve("allure-report/data/test-cases")).getParent().getParent();
        try (Stream<Path> s = Files.list(results)) {
            int n = 0;
            for (Path f : s.filter(p -> p.toString().endsWith("-result.json")).sorted().toList()) {
                String uid = "uid" + n++;
                Files.writeString(report.resolve("data/test-cases/" + uid + ".json"), JSON.writeValueAsString(
                        Map.of("uid", uid, "historyId", JSON.readTree(f.toFile()).path("historyId").asText(), "retry", false)));
            }
        }
    }

    @Test
    void theFailedScenariosOpenWithTheirHeadline() throws IOException {
        assertThat(message("00000000-0000-4000-8000-000000000001")).startsWith(MISSING_KAS + "\n\nmissing containers: [kas-fra (never created)].\n");
        assertThat(message("00000000-0000-4000-8000-000000000002")).startsWith(STAGE_3 + "\n\nDeployment dive-spoke-fra failed");
        assertThat(message("00000000-0000-4000-8000-000000000005")).as("a skipped scenario keeps its reason as it is")
                .startsWith("not applicable in attach mode");
        assertThat(ReportCuration.curateAll(results).headlined()).as("curating twice adds nothing").isZero();
    }

    private String message(String uuid) throws IOException {
        return JSON.readTree(results.resolve(uuid + "-result.json").toFile()).path("statusDetails").path("message").asText();
    }

    @Test
    void theRefutedClaimsComeFirstWithTheirCauseAndLinkInTheMarkdown() throws IOException {
        var judged = SignOff.write(results, dir, report);
        assertThat(judged).extracting(SignOff.Judged::verdict).startsWith(SignOff.Verdict.REFUTED, SignOff.Verdict.REFUTED)
                .endsWith(SignOff.Verdict.HOLDS).containsOnlyOnce(SignOff.Verdict.HOLDS);
        List<String> rows = Files.readAllLines(dir.resolve("sign-off.md")).stream().filter(l -> l.startsWith("| ") && !l.startsWith("| verdict")).toList();
        assertThat(rows).hasSize(SignOff.claims().size());
        assertThat(rows.get(0)).startsWith("| ❌ refuted | Fix #4: KAS is deployed")
                .contains("<br>✘ **[KAS is running and answers its health endpoint](allure-report/index.html#testresult/uid1)**: " + STAGE_3)
                .as("a broken scenario refutes too, and says so").contains(" (broken)");
        assertThat(rows.get(1)).startsWith("| ❌ refuted | \"All services running (healthy)\"")
                .contains("<br>✘ **[All nine services exist and are healthy](allure-report/index.html#testresult/uid0)**: " + MISSING_KAS);
        assertThat(rows.get(rows.size() - 1)).startsWith("| ✅ holds | Fix #1: OPAL_AUTH_MASTER_TOKEN");
        assertThat(rows).filteredOn(r -> r.startsWith("| ⚪ not run | Redis starts from its config file"))
                .singleElement().asString().contains("– **[Redis started without its config file](allure-report/index.html#testresult/uid4)**: not applicable in attach mode");
        assertThat(Files.readString(dir.resolve("sign-off.md"))).contains("**1 of 12 claims hold, 2 refuted, 9 not run.**");
    }

    @Test
    void theRefutedClaimsComeFirstWithTheirCauseAndLinkInTheHtml() throws IOException {
        SignOff.write(results, dir, report);
        String html = Files.readString(report.resolve("sign-off.html"));
        assertThat(html).contains("data-claims=\"12\" data-holds=\"1\" data-refuted=\"2\"");
        List<String> rows = List.of(html.split("<tr class=\"claim\"")).subList(1, 13);
        assertThat(rows.get(0)).startsWith(" data-verdict=\"refuted\"").contains("Fix #4: KAS is deployed")
                .contains("<div class=\"cause\">✘ <a class=\"scenario\" href=\"index.html#testresult/uid1\">KAS is running and answers its health endpoint</a>: "
                        + "<span class=\"headline\">" + STAGE_3 + "</span></div>");
        assertThat(rows.get(1)).startsWith(" data-verdict=\"refuted\"").contains("&quot;All services running (healthy)&quot;")
                .contains("<div class=\"cause\">✘ <a class=\"scenario\" href=\"index.html#testresult/uid0\">All nine services exist and are healthy</a>: "
                        + "<span class=\"headline\">" + MISSING_KAS + "</span></div>");
        assertThat(rows.subList(2, 11)).allSatisfy(r -> assertThat(r).startsWith(" data-verdict=\"not_run\""));
        assertThat(rows.get(11)).startsWith(" data-verdict=\"holds\"").contains("Fix #1: OPAL_AUTH_MASTER_TOKEN").doesNotContain("class=\"cause\"");
    }
}
