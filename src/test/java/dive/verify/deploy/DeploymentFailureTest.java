package dive.verify.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentFailureTest {
    static final ServiceFailure REDIS = new ServiceFailure("redis-fra", 1, "exited with code 1", List.of("starting", "  exiting  "), null);
    static final ServiceFailure OPA = new ServiceFailure("opa-fra", 2, "unhealthy", List.of(), "exit 1:\nno");

    @Test
    void oneFailureIsDescribedWithoutATable() {
        DeploymentFailure f = new DeploymentFailure("dive-spoke-fra", "stage 1 did not come up", List.of(REDIS));
        assertThat(f.getMessage()).isEqualTo("Deployment dive-spoke-fra failed: stage 1 did not come up\n"
                + "  redis-fra (stage 1): exited with code 1\n"
                + "    last 2 log lines:\n      | starting\n      |   exiting  \n");
        assertThat(f.failures()).containsExactly(REDIS);
        assertThat(f.table()).isEqualTo(FailureTable.text(List.of(REDIS)));
        assertThat(f.csv()).isEqualTo("stage,service,reason,last log line\n1,\"redis-fra\",\"exited with code 1\",\"exiting\"\n");
    }

    @Test
    void theHealthOutputIsQuotedAndABlankOneIsLeftOut() {
        assertThat(OPA.describe()).isEqualTo("  opa-fra (stage 2): unhealthy\n    last health check output: exit 1:\n      no\n");
        assertThat(new ServiceFailure("x", 1, "r", List.of(), " \n").describe()).isEqualTo("  x (stage 1): r\n");
    }

    @Test
    void theTableRuleSpansTheColumnsAndLongReasonsAreCut() {
        String longReason = "r".repeat(80);
        String table = FailureTable.text(List.of(new ServiceFailure("kas-fra", 4, longReason, List.of("line\nwrapped"), null)));
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).isEqualTo("  STAGE | SERVICE | " + "REASON" + " ".repeat(64) + " | LAST LOG LINE");
        assertThat(lines.get(1)).isEqualTo("  " + "-".repeat(5 + 7 + 70 + 13 + 9));
        assertThat(lines.get(2)).isEqualTo("  4     | kas-fra | " + "r".repeat(69) + "… | line wrapped");
    }

    @Test
    void aReasonOfExactlyTheWidthIsKept() {
        String reason = "r".repeat(70);
        String row = FailureTable.text(List.of(new ServiceFailure("k", 1, reason, List.of(), null))).lines().toList().get(2);
        assertThat(row).contains(reason).doesNotContain("…");
    }
}
