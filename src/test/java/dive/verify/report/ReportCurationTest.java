package dive.verify.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Outcomes first: features grouped by what they prove, unit tests apart; the report named and its executor known. */
class ReportCurationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode result(String labelsJson) throws IOException {
        return (ObjectNode) JSON.readTree("{\"name\":\"x\",\"labels\":" + labelsJson + "}");
    }

    @Test
    void aScenarioJoinsTheGroupOfItsFeature() throws IOException {
        ObjectNode r = result("[{\"name\":\"gherkin_uri\",\"value\":\"file:///w/features/09-sso.feature\"},{\"name\":\"feature\",\"value\":\"The 27 SSO checks\"}]");
        assertThat(ReportCuration.curate(r)).isTrue();
        assertThat(ReportCuration.label(r, "epic")).isEqualTo("Federation and SSO");
        assertThat(ReportCuration.label(r, "parentSuite")).isEqualTo("Federation and SSO");
        assertThat(ReportCuration.label(r, "feature")).as("the feature stays the feature").isEqualTo("The 27 SSO checks");
        assertThat(ReportCuration.curate(r)).as("curating twice changes nothing more").isFalse();
    }

    @Test
    void aUnitTestIsAHarnessSelfTestUnderItsClass() throws IOException {
        ObjectNode r = result("[{\"name\":\"framework\",\"value\":\"junit-platform\"},{\"name\":\"testClass\",\"value\":\"dive.verify.template.InterpolatorTest\"},"
                + "{\"name\":\"epic\",\"value\":\"something else\"}]");
        ReportCuration.curate(r);
        assertThat(ReportCuration.label(r, "epic")).isEqualTo(ReportCuration.SELF_TESTS);
        assertThat(ReportCuration.label(r, "feature")).isEqualTo("InterpolatorTest");
        assertThat(r.path("labels").findValuesAsText("name").stream().filter("epic"::equals)).hasSize(1);
    }

    @Test
    void theReportIsNamedAfterWhatWasDeployed(@TempDir Path runs) throws IOException {
        for (String[] i : new String[][] {{"usa", "hub", "USA"}, {"fra", "spoke", "FRA"}, {"gbr", "spoke", "GBR"}}) {
            Path d = Files.createDirectories(runs.resolve("run-1/instances/" + i[0]));
            Files.writeString(d.resolve("instance.properties"), "kind=" + i[1] + "\ncode=" + i[2] + "\n");
        }
        assertThat(ReportCuration.reportName(runs, "abc1234"))
                .startsWith("DIVE V3 verification: hub USA + spokes FRA, GBR — dive-verify ").endsWith(" @ abc1234");
        assertThat(ReportCuration.reportName(runs.resolve("none"), "abc1234")).contains("no deployment");
        Path one = Files.createDirectories(runs.resolve("one/instances/fra"));
        Files.writeString(one.resolve("instance.properties"), "kind=spoke\ncode=FRA\n");
        assertThat(ReportCuration.reportName(runs.resolve("one"), "abc1234")).startsWith("DIVE V3 verification: spoke FRA — ");
    }

    @Test
    void theExecutorSaysWhereItRan() {
        var gh = ReportCuration.executor(Map.of("GITHUB_RUN_ID", "42", "GITHUB_REPOSITORY", "o/r", "GITHUB_WORKFLOW", "verify",
                "GITHUB_RUN_NUMBER", "7"), "name");
        assertThat(gh).containsEntry("type", "github").containsEntry("buildName", "verify #7")
                .containsEntry("buildUrl", "https://github.com/o/r/actions/runs/42").containsEntry("reportName", "name");
        assertThat(ReportCuration.executor(Map.of("CI", "true", "HOSTNAME", "box"), "n")).containsEntry("type", "ci");
        assertThat(ReportCuration.executor(Map.of("HOSTNAME", "box"), "n")).containsEntry("type", "local")
                .containsEntry("buildName", "local run on box");
    }
}
