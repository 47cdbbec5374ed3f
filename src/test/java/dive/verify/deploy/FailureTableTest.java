package dive.verify.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FailureTableTest {
    private final List<ServiceFailure> two = List.of(
            new ServiceFailure("redis-fra", 1, "exited with code 1", List.of("starting", "deliberately broken: exiting"), null),
            new ServiceFailure("opa-fra", 1, "was not healthy within its start budget of 6 s, \"quoted\"", List.of(), "exit 1: no"));

    @Test
    void oneRowPerFailedServiceWithItsLastLogLine() {
        String table = FailureTable.text(two);
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(4); // header, rule, two rows
        assertThat(lines.get(0)).contains("STAGE").contains("SERVICE").contains("REASON").contains("LAST LOG LINE");
        assertThat(lines.get(2)).contains("redis-fra").contains("exited with code 1").contains("deliberately broken: exiting");
        assertThat(lines.get(3)).contains("opa-fra").contains("start budget of 6 s");
    }

    @Test
    void csvQuotesEveryTextField() {
        List<String> rows = FailureTable.csv(two).lines().toList();
        assertThat(rows).containsExactly(
                "stage,service,reason,last log line",
                "1,\"redis-fra\",\"exited with code 1\",\"deliberately broken: exiting\"",
                "1,\"opa-fra\",\"was not healthy within its start budget of 6 s, \"\"quoted\"\"\",\"\"");
    }

    @Test
    void theFailureMessageOpensWithTheTableWhenSeveralServicesFailed() {
        String message = new DeploymentFailure("dive-spoke-fra", "2 service(s) of stage 1 did not come up", two).getMessage();
        assertThat(message.indexOf("STAGE")).isGreaterThan(0).isLessThan(message.indexOf("last 2 log lines"));
    }
}
