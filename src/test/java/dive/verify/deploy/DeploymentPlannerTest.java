package dive.verify.deploy;

import dive.verify.deploy.EngineView.ContainerView;
import dive.verify.deploy.EngineView.VolumeView;
import dive.verify.state.DeploymentState;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a deployment will do, decided before it does anything, from the plan,
 * the recorded state and what the (fake) engine reports: what is taken over,
 * what is removed, what is created, and when each service may start.
 */
class DeploymentPlannerTest {
    static final String TEMPLATE = """
            name: fra
            services:
              db:
                image: postgres:15
                container_name: db-fra
                healthcheck: {test: ["CMD", "true"], interval: 1s}
                volumes: ["data:/var/lib/data"]
                labels: {dive.deploy.stage: "1"}
              init:
                image: tools:1
                container_name: init-fra
                depends_on:
                  db: {condition: service_healthy}
                labels: {dive.deploy.stage: "1", dive.deploy.one-shot: "true"}
              web:
                image: web:2
                container_name: web-fra
                depends_on: [db]
                volumes: ["cache:/cache"]
                labels: {dive.deploy.stage: "2"}
              kas:
                image: kas:1
                container_name: kas-fra
                healthcheck: {test: ["CMD", "true"], interval: 1s}
                labels: {dive.deploy.stage: "3"}
            volumes:
              data: {}
              cache: {}
            """;
    static final Map<String, String> OF_FRA = Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT, RunContext.DEPLOYMENT_LABEL, "fra");

    @TempDir static Path dir;
    static DeploymentPlan plan;
    static Set<String> all;

    @BeforeAll
    static void plan() {
        plan = Plans.load(dir, "compose.yml", TEMPLATE, Map.of());
        all = Selection.of(plan, null);
    }

    private static String imageId(ServiceSpec s) { return Plans.imageId(s); }

    /** The engine with every image present and nothing running. */
    private static FakeEngine imagesOnly() {
        FakeEngine e = new FakeEngine();
        for (ServiceSpec s : plan.services().values()) e.image(s.image(), imageId(s));
        return e;
    }

    /** A container of this deployment, as a run labels it, ready (exited 0 for the one-shot). */
    private static ContainerView running(String key) {
        ServiceSpec s = plan.service(key);
        if (s.oneShot()) return new ContainerView(Plans.containerId(s), s.containerName(), imageId(s), "exited", false, 0L, null, OF_FRA, Set.of());
        return new ContainerView(Plans.containerId(s), s.containerName(), imageId(s), "running", true, null,
                s.healthcheck() == null ? null : "healthy", OF_FRA, Set.of());
    }

    private static Map<String, String> volumeOfStage(int stage) {
        Map<String, String> labels = new LinkedHashMap<>(OF_FRA);
        labels.put(RunContext.STAGE_LABEL, String.valueOf(stage));
        return labels;
    }

    /** What a deployment that completed {@code stages} recorded. */
    private static DeploymentState recorded(int... stages) { return Plans.recorded(plan, stages); }

    private static List<String> keys(DeploymentPlanner.Actions a) {
        return a.starts().stream().map(s -> s.service().key()).toList();
    }

    private static DeploymentPlanner.Start start(DeploymentPlanner.Actions a, String key) {
        return a.starts().stream().filter(s -> s.service().key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void aFirstDeploymentCreatesEveryServiceEachWhenWhatItDependsOnIsReady() {
        var a = DeploymentPlanner.plan(plan, all, DeployOptions.Mode.RESUME, null, null, imagesOnly());

        assertThat(a.resume().adopted()).isEmpty();
        assertThat(a.leftovers()).isEmpty();
        assertThat(a.rollBack()).isEmpty();
        assertThat(a.stages()).containsOnlyKeys(1, 2, 3);
        assertThat(keys(a)).containsExactly("db", "init", "web", "kas");
        assertThat(start(a, "init").waits()).containsExactly(Map.entry("db", "service_healthy"));
        assertThat(start(a, "web").waits()).containsExactly(Map.entry("db", "service_started"));
        // web names its dependency, so it does not wait for stage 1 as a whole (init may still run)
        assertThat(start(a, "web").afterEarlierStages()).isFalse();
        // kas names none: it starts in the order of record, once stages 1 and 2 are complete
        assertThat(start(a, "kas").afterEarlierStages()).isTrue();
        assertThat(a.nothingToCreate()).isFalse();
    }

    @Test
    void aResumeTakesOverTheCompletedStagesAndRemovesWhatTheOthersLeft() {
        FakeEngine engine = imagesOnly()
                .container(running("db")).container(running("init"))
                .container(new ContainerView("id-web", "web-fra", imageId(plan.service("web")), "exited", false, 1L, null, OF_FRA, Set.of()))
                .volume("fra_data", volumeOfStage(1))
                .volume("fra_cache", volumeOfStage(2));

        var a = DeploymentPlanner.plan(plan, all, DeployOptions.Mode.RESUME, recorded(1), null, engine);

        assertThat(a.resume().adopted()).containsOnlyKeys("db", "init");
        assertThat(a.resume().resumeAt()).isEqualTo(2);
        assertThat(a.leftovers()).extracting(ContainerView::id).containsExactly("id-web");
        // stage 2 is deployed again from nothing; stage 1's data stays with the containers taken over
        assertThat(a.rollBack()).extracting(VolumeView::name).containsExactly("fra_cache");
        assertThat(a.stages()).containsOnlyKeys(2, 3);
        assertThat(keys(a)).containsExactly("web", "kas");
        // db was taken over, ready: web has nothing to wait for
        assertThat(start(a, "web").waits()).isEmpty();
    }

    @Test
    void anotherDeploymentsContainersAreNeitherTakenOverNorRemoved() {
        FakeEngine engine = imagesOnly()
                .container(new ContainerView("id-gbr", "db-gbr", "sha256:postgres:15", "running", true, null, "healthy",
                        Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT, RunContext.DEPLOYMENT_LABEL, "gbr"), Set.of()))
                .container(new ContainerView("id-look", "lookalike", "i", "running", true, null, null,
                        Map.of(RunContext.DEPLOYMENT_LABEL, "fra"), Set.of()))
                .volume("gbr_data", Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT, RunContext.DEPLOYMENT_LABEL, "gbr",
                        RunContext.STAGE_LABEL, "1"));

        var a = DeploymentPlanner.plan(plan, all, DeployOptions.Mode.FRESH, null, null, engine);

        assertThat(a.leftovers()).isEmpty();
        assertThat(a.rollBack()).isEmpty();
    }

    @Test
    void aFreshDeploymentIgnoresTheRecordedStateAndReplacesEverything() {
        FakeEngine engine = imagesOnly()
                .container(running("db")).container(running("init")).container(running("web")).container(running("kas"))
                .volume("fra_data", volumeOfStage(1))
                .volume("fra_cache", volumeOfStage(2));

        var a = DeploymentPlanner.plan(plan, all, DeployOptions.Mode.FRESH, recorded(1, 2, 3), null, engine);

        assertThat(a.resume().adopted()).isEmpty();
        assertThat(a.resume().why()).isEqualTo("a fresh deployment was asked for");
        assertThat(a.leftovers()).extracting(ContainerView::id).containsExactlyInAnyOrder("id-db", "id-init", "id-web", "id-kas");
        assertThat(a.rollBack()).extracting(VolumeView::name).containsExactlyInAnyOrder("fra_data", "fra_cache");
        assertThat(keys(a)).containsExactly("db", "init", "web", "kas");
    }

    @Test
    void aCompleteHealthyDeploymentIsTakenOverWhole() {
        FakeEngine engine = imagesOnly()
                .container(running("db")).container(running("init")).container(running("web")).container(running("kas"))
                .volume("fra_data", volumeOfStage(1));

        var a = DeploymentPlanner.plan(plan, all, DeployOptions.Mode.REUSE, recorded(1, 2, 3), null, engine);

        assertThat(a.nothingToCreate()).isTrue();
        assertThat(a.resume().adopted()).containsOnlyKeys("db", "init", "web", "kas");
        assertThat(a.leftovers()).isEmpty();
        assertThat(a.rollBack()).isEmpty();
        assertThat(a.stages()).isEmpty();
    }

    @Test
    void reuseModeRefusesAnIncompleteDeploymentSayingWhyAndWhereItIsRecorded() {
        FakeEngine engine = imagesOnly().container(running("db")).container(running("init"));

        assertThatThrownBy(() -> DeploymentPlanner.plan(plan, all, DeployOptions.Mode.REUSE, recorded(1), "/inst/.dive-state.json", engine))
                .isInstanceOf(DeploymentFailure.class)
                .hasMessageContaining("nothing was created or changed")
                .hasMessageContaining("stage 2 did not complete earlier")
                .hasMessageContaining("/inst/.dive-state.json");
    }

    @Test
    void badInputIsRefusedBeforeAnyActionWithEveryProblem() {
        FakeEngine engine = imagesOnly().withoutImage("web:2").withoutImage("kas:1");

        assertThatThrownBy(() -> DeploymentPlanner.plan(plan, all, DeployOptions.Mode.RESUME, null, null, engine))
                .isInstanceOf(DeploymentFailure.class)
                .hasMessageContaining("nothing was created")
                .hasMessageContaining("web:2")
                .hasMessageContaining("kas:1");
    }

    @Test
    void aServiceWithoutAStageIsNamedInAWarning() {
        DeploymentPlan withLone = Plans.load(dir, "lone.yml", TEMPLATE.replace("volumes:\n  data: {}", """
                  lone:
                    image: lone:1
                volumes:
                  data: {}"""), Map.of());
        FakeEngine engine = imagesOnly().image("lone:1", "sha256:lone");

        var a = DeploymentPlanner.plan(withLone, Selection.of(withLone, null), DeployOptions.Mode.RESUME, null, null, engine);

        assertThat(a.warnings()).singleElement().asString().contains("lone").contains("no stage will start it");
        assertThat(keys(a)).doesNotContain("lone");
    }
}
