package dive.verify.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed scenario opens with "<check> on <instance>: <what was seen>". */
class FailureHeadlineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void forgetSecrets() { Secrets.clear(); }

    /** A scenario result with these steps (name, status), the last non-passed one carrying {@code message}. */
    private static ObjectNode scenario(String status, String message, String... steps) {
        ObjectNode r = JSON.createObjectNode().put("name", "the scenario").put("status", status);
        r.putObject("statusDetails").put("message", message);
        for (int i = 0; i < steps.length; i += 2) {
            ObjectNode s = r.withArray("steps").addObject().put("name", steps[i]).put("status", steps[i + 1]);
            if (!steps[i + 1].equals("passed")) s.putObject("statusDetails").put("message", message);
        }
        return r;
    }

    @Test
    void theFailingStepOnTheSpokeTheBackgroundNamedAndWhatItSaw() {
        var r = scenario("failed", "missing containers: [kas-fra (never created)].\nContainers that exist: {}\n(the check: services)",
                "Given spoke \"FRA\" named \"France Defence\" is initialised from the spoke template", "passed",
                "And the whole spoke is deployed stage by stage", "passed",
                "Then all nine services of the spoke exist and are healthy", "failed");
        assertThat(FailureHeadline.of(r))
                .isEqualTo("all nine services of the spoke exist and are healthy on spoke FRA: missing containers: [kas-fra (never created)].");
    }

    @Test
    void theInstancesTheFailingStepItselfNames() {
        var r = scenario("failed", "HTTP 403",
                "Given the federation of hub \"USA\" with spokes \"FRA\" and \"GBR\" is deployed and registered", "passed",
                "When \"testuser-usa-3\" of the hub signs in at spoke \"GBR\" through \"usa-idp\"", "failed");
        assertThat(FailureHeadline.of(r)).isEqualTo("\"testuser-usa-3\" of the hub signs in at spoke \"GBR\" through \"usa-idp\" on spoke GBR: HTTP 403");
        assertThat(FailureHeadline.instancesIn("Given the federation of hub \"USA\" with spokes \"FRA\" and \"GBR\" is deployed"))
                .containsExactly("hub USA", "spoke FRA", "spoke GBR");
    }

    @Test
    void aBrokenStepToo_andNoInstanceWhenNoStepNamesOne() {
        var r = scenario("broken", "java.io.UncheckedIOException: timeouts.yml: no such file",
                "Given the operator's timeouts file", "passed", "When the harness loads the operator's file", "broken",
                "Then it refuses", "skipped");
        assertThat(FailureHeadline.of(r)).isEqualTo("the harness loads the operator's file: java.io.UncheckedIOException: timeouts.yml: no such file");
    }

    @Test
    void whenAHookFailedTheScenarioIsTheCheck() {
        var r = scenario("broken", "No Docker engine is reachable", "Given spoke \"FRA\" is running", "skipped");
        assertThat(FailureHeadline.of(r)).isEqualTo("the scenario (outside its steps) on spoke FRA: No Docker engine is reachable");
    }

    @Test
    void anAssertJDescriptionIsFollowedByWhatItSaw() {
        assertThat(FailureHeadline.seen("[result of SELECT 1] \nExpecting actual:\n  \"[2]\"\nto contain:\n  \"[1]\" "))
                .isEqualTo("[result of SELECT 1] Expecting actual: \"[2]\" to contain: \"[1]\"");
        assertThat(FailureHeadline.seen("")).isEqualTo("no message");
    }

    @Test
    void whatWasSeenIsOneLineOfBoundedLength() {
        String seen = FailureHeadline.seen("x".repeat(1000) + "\nsecond line");
        assertThat(seen).hasSize(FailureHeadline.MAX_SEEN).endsWith("…").doesNotContain("second");
    }

    @Test
    void appliedOnceInFrontOfTheMessage_andNotForAPass() {
        var r = scenario("failed", "HTTP 503", "Then the backend reports healthy within 60 seconds", "failed");
        assertThat(FailureHeadline.apply(r)).isTrue();
        assertThat(r.path("statusDetails").path("message").asText())
                .isEqualTo("the backend reports healthy within 60 seconds: HTTP 503\n\nHTTP 503");
        assertThat(FailureHeadline.apply(r)).as("already there").isFalse();
        assertThat(FailureHeadline.of(r)).as("read back from the curated message").isEqualTo("the backend reports healthy within 60 seconds: HTTP 503");
        var passed = scenario("passed", "", "Then it works", "passed");
        assertThat(FailureHeadline.apply(passed)).isFalse();
        assertThat(FailureHeadline.of(passed)).isNull();
    }

    @Test
    void aSecretInTheAssertionIsRedacted() {
        Secrets.register("s3cr3t-value-123");
        var r = scenario("failed", "password authentication failed for s3cr3t-value-123",
                "Then Postgres answers \"SELECT 1\" with \"1\" using the instance's password", "failed");
        assertThat(FailureHeadline.of(r)).doesNotContain("s3cr3t-value-123").endsWith("password authentication failed for ***");
        assertThat(List.of(FailureHeadline.check(r))).containsExactly("Postgres answers \"SELECT 1\" with \"1\" using the instance's password");
    }
}
