package dive.verify.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeoutsTest {
    @TempDir Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("deploy-timeouts.properties"), text);
    }

    private Timeouts load(String text) throws IOException {
        return Timeouts.load(write(text));
    }

    /** A service with only what the budgets look at: key, stage and template/contract budget. */
    private static ServiceSpec service(String key, int stage, Duration startBudget) {
        return new ServiceSpec(key, "img", key, List.of(), List.of(), Map.of(), List.of(), List.of(), null,
                Map.of(), List.of(), Map.of(), Map.of(), null, null, null, List.of(), List.of(),
                stage, startBudget, false);
    }

    @Test
    void serviceBeatsKindBeatsLabelOrContract() throws IOException {
        Timeouts t = load("""
                service.keycloak-fra=240s
                kind.keycloak=200s
                kind.opa=2m
                """);
        ServiceSpec kcFra = service("keycloak-fra", 2, Duration.ofSeconds(180));
        ServiceSpec kcGbr = service("keycloak-gbr", 2, Duration.ofSeconds(180));
        ServiceSpec opa = service("opa-fra", 3, Duration.ofSeconds(30));
        ServiceSpec redis = service("redis-fra", 1, Duration.ofSeconds(45));

        assertThat(t.serviceBudget(kcFra)).isEqualTo(Duration.ofSeconds(240));
        assertThat(t.serviceBudgetSource(kcFra)).endsWith("deploy-timeouts.properties service.keycloak-fra");
        assertThat(t.serviceBudget(kcGbr)).isEqualTo(Duration.ofSeconds(200));
        assertThat(t.serviceBudgetSource(kcGbr)).endsWith("deploy-timeouts.properties kind.keycloak");
        assertThat(t.serviceBudget(opa)).isEqualTo(Duration.ofMinutes(2));
        assertThat(t.serviceBudget(redis)).isEqualTo(Duration.ofSeconds(45));
        assertThat(t.serviceBudgetSource(redis)).isEqualTo("template label/contract default");
    }

    @Test
    void stageBeatsStageDefaultBeatsOverall() throws IOException {
        Timeouts t = load("stage.4=150s\nstage.default=1m30s\n");
        assertThat(t.stageBudget(4)).isEqualTo(Duration.ofSeconds(150));
        assertThat(t.stageBudgetSource(4)).endsWith("deploy-timeouts.properties stage.4");
        assertThat(t.stageBudget(2)).isEqualTo(Duration.ofSeconds(90));
        assertThat(t.stageBudgetSource(2)).endsWith("deploy-timeouts.properties stage.default");

        Timeouts onlyStage = load("stage.4=150s\n");
        assertThat(onlyStage.stageBudget(2)).isEqualTo(StartBudgets.OVERALL).isEqualTo(Duration.ofSeconds(300));
        assertThat(onlyStage.stageBudgetSource(2)).isEqualTo("contract overall health wait");
    }

    @Test
    void noneUsesLabelsAndContractOnly() {
        Timeouts t = Timeouts.none();
        ServiceSpec kc = service("keycloak-fra", 2, Duration.ofSeconds(180));
        assertThat(t.file()).isEmpty();
        assertThat(t.serviceBudget(kc)).isEqualTo(Duration.ofSeconds(180));
        assertThat(t.serviceBudgetSource(kc)).isEqualTo("template label/contract default");
        assertThat(t.stageBudget(1)).isEqualTo(StartBudgets.OVERALL);
        assertThat(t.toString()).isEqualTo("no deploy timeouts file");
    }

    @Test
    void bareIntegerMeansSeconds() throws IOException {
        Timeouts t = load("kind.opa = 45 \nstage.default=120\n");
        assertThat(t.serviceBudget(service("opa-fra", 3, Duration.ofSeconds(30)))).isEqualTo(Duration.ofSeconds(45));
        assertThat(t.stageBudget(1)).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void toStringListsTheOverrides() throws IOException {
        Path f = write("stage.default=200\nkind.opa=30s\nservice.keycloak-fra=4m\nstage.4=150s\n");
        Timeouts t = Timeouts.load(f);
        assertThat(t.file()).contains(f);
        assertThat(t.toString()).isEqualTo(f + ": service.keycloak-fra=240s, kind.opa=30s, stage.4=150s, stage.default=200s");
        assertThat(load("# nothing set\n").toString()).endsWith("deploy-timeouts.properties: no overrides");
    }

    @Test
    void unknownKeyNamesFileKeyAndValue() {
        for (String key : List.of("stage.x", "stage.0", "service.", "timeout")) {
            assertThatThrownBy(() -> load(key + "=150s\n"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("deploy-timeouts.properties: \"" + key + "\" is not a known key")
                    .hasMessageContaining("\"150s\"")
                    .hasMessageEndingWith("expected service.<service>, kind.<kind>, stage.<n> (n = 1, 2, ...) or stage.default");
        }
    }

    @Test
    void badDurationNamesFileKeyAndValue() {
        for (String value : List.of("soon", "", "90x", "1.5.2s")) {
            assertThatThrownBy(() -> load("service.opa-fra=" + value + "\n"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("deploy-timeouts.properties: service.opa-fra = \"" + value + "\" is not a duration")
                    .hasMessageEndingWith("expected e.g. 90s, 2m, 1m30s or 90 (seconds)");
        }
    }

    @Test
    void zeroOrNegativeIsRejected() {
        for (String value : List.of("0", "0s", "-5", "0m0s")) {
            assertThatThrownBy(() -> load("stage.default=" + value + "\n"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("deploy-timeouts.properties: stage.default = \"" + value + "\" is not positive")
                    .hasMessageEndingWith("expected a duration greater than zero, e.g. 90s");
        }
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("deploy-timeouts.properties");
        assertThatThrownBy(() -> Timeouts.load(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(missing + ": file does not exist");
    }

    @Test
    void validateAgainstNamesUnknownServiceAndKnownOnes() throws IOException {
        Timeouts t = load("service.opa-frx=30s\nkind.nonesuch=30s\n");
        assertThatThrownBy(() -> t.validateAgainst(List.of("redis-fra", "opa-fra"), List.of(1, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deploy-timeouts.properties: service.opa-frx = 30s names no service of this deployment")
                .hasMessageEndingWith("known services are [opa-fra, redis-fra]");
    }

    @Test
    void validateAgainstNamesUnknownStageAndKnownOnes() throws IOException {
        Timeouts t = load("stage.7=150s\nstage.default=200s\n");
        assertThatThrownBy(() -> t.validateAgainst(List.of("redis-fra"), List.of(2, 1, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deploy-timeouts.properties: stage.7 = 150s names no stage of this deployment")
                .hasMessageEndingWith("known stages are [1, 2, 3]");
    }

    @Test
    void validateAgainstAcceptsMatchingEntries() throws IOException {
        Timeouts t = load("service.opa-fra=30s\nstage.2=150s\nkind.anything=10s\n");
        t.validateAgainst(List.of("redis-fra", "opa-fra"), List.of(1, 2));
    }
}
