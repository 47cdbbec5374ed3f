package dive.verify.instance;

import dive.verify.template.ComposeLoader;
import dive.verify.template.DependencyOrder;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's own templates use none of the keys honoured since issue 12 (item 3), so they deploy as before:
 * no host settings, no profiles, no dependency waited for within a stage (every one is of an earlier stage), no
 * dependency made one-shot or left to its image's healthcheck.
 */
class TemplatesDeployTheSameWayTest {
    @TempDir Path instances;

    @ParameterizedTest
    @CsvSource({"spoke, FRA, France Defence", "hub, USA, Coalition Hub"})
    void theTemplatesPlanIsUnchangedByTheNewKeys(String kind, String code, String name) {
        var r = new InstanceInit(Path.of("templates").toAbsolutePath(), instances).init(kind, code, name, "kit");
        DeploymentPlan plan = ComposeLoader.load(r.composeFile(), new HashMap<>(r.env().read()));
        assertThat(plan.inactive()).isEmpty();
        assertThat(plan.healthyByImage()).isEmpty();
        for (ServiceSpec s : plan.services().values()) {
            assertThat(s.host().isDefault()).as(s.key()).isTrue();
            assertThat(s.profiles()).as(s.key()).isEmpty();
            assertThat(s.oneShot()).as(s.key()).isFalse();
            assertThat(s.dependsOn().values()).as(s.key()).allMatch("service_healthy"::equals);
        }
        for (int stage : plan.stages()) {
            assertThat(DependencyOrder.forStage(plan.servicesOfStage(stage))).as("stage %d", stage)
                    .allSatisfy(start -> assertThat(start.waits()).isEmpty());
        }
        for (var n : plan.networks().values()) {
            assertThat(n.external()).isFalse();
            assertThat(n.labels()).isEmpty();
            assertThat(n.engineName(plan.project())).isEqualTo(n.name()); // each names itself, as before
        }
        for (var v : plan.volumes().values()) {
            assertThat(v.engineName(plan.project())).isEqualTo(plan.project() + "_" + v.key());
        }
    }
}
