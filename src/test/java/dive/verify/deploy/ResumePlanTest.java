package dive.verify.deploy;

import dive.verify.deploy.EngineView.ContainerView;
import dive.verify.state.DeploymentState;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a deployment resumes, decided from the plan, the recorded state and
 * what the (fake) engine reports: which completed stages are taken over, and
 * why deployment starts where it does.
 */
class ResumePlanTest {
    static final String TEMPLATE = """
            name: fra
            services:
              db:
                image: postgres:15
                container_name: db-fra
                healthcheck: {test: ["CMD", "true"], interval: 1s}
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
                environment: {LOG_LEVEL: "${LOG_LEVEL}"}
                depends_on: [db]
                labels: {dive.deploy.stage: "2"}
              kas:
                image: kas:1
                container_name: kas-fra
                healthcheck: {test: ["CMD", "true"], interval: 1s}
                labels: {dive.deploy.stage: "3"}
            """;

    @TempDir static Path dir;
    static DeploymentPlan plan;
    static Set<String> all;

    @BeforeAll
    static void plan() {
        plan = Plans.load(dir, "compose.yml", TEMPLATE, Map.of("LOG_LEVEL", "info"));
        all = Selection.of(plan, null);
    }

    private static String imageId(ServiceSpec s) { return Plans.imageId(s); }

    private static String containerId(ServiceSpec s) { return Plans.containerId(s); }

    /** What a deployment of {@code plan} that completed {@code stages} recorded. */
    private static DeploymentState recorded(DeploymentPlan p, String status, int... stages) {
        return Plans.recorded(p, stages).withStatus(status, "t9");
    }

    private static DeploymentState complete() { return recorded(plan, DeploymentState.COMPLETE, 1, 2, 3); }

    /** How a service's container looks once ready: healthy, running, or exited 0 for the one-shot. */
    private static ContainerView ready(ServiceSpec s) {
        if (s.oneShot()) return new ContainerView(containerId(s), s.containerName(), imageId(s), "exited", false, 0L, null, Map.of(), Set.of());
        return new ContainerView(containerId(s), s.containerName(), imageId(s), "running", true, null,
                s.healthcheck() == null ? null : "healthy", Map.of(), Set.of());
    }

    private static ContainerView looking(String key, Function<ContainerView, ContainerView> change) {
        return change.apply(ready(plan.service(key)));
    }

    /** An engine where every service of the plan runs as deployed, its images present. */
    private static FakeEngine runningAsDeployed() {
        FakeEngine e = new FakeEngine();
        for (ServiceSpec s : plan.services().values()) e.image(s.image(), imageId(s)).container(ready(s));
        return e;
    }

    private static ContainerView withHealth(ContainerView c, String health) {
        return new ContainerView(c.id(), c.name(), c.imageId(), c.state(), c.running(), c.exitCode(), health, c.labels(), c.hostPorts());
    }

    private static ContainerView stopped(ContainerView c, String state, Long exitCode) {
        return new ContainerView(c.id(), c.name(), c.imageId(), state, false, exitCode, null, c.labels(), c.hostPorts());
    }

    private static Resume resume(DeploymentState previous, FakeEngine engine) {
        return Resume.plan(plan, all, previous, engine, Duration.ZERO);
    }

    private static List<Integer> adoptedStages(Resume r) {
        return r.adoptedStages().stream().map(DeploymentState.StageRecord::stage).toList();
    }

    @Test
    void withoutARecordedDeploymentEverythingIsDeployedFromTheFirstStage() {
        Resume r = resume(null, runningAsDeployed());
        assertThat(r.resumeAt()).isEqualTo(1);
        assertThat(r.complete()).isFalse();
        assertThat(r.adopted()).isEmpty();
        assertThat(r.why()).isEqualTo("no earlier deployment is recorded");
    }

    @Test
    void aRecordOfAnotherDeploymentOrOfOneThatWasRemovedTakesOverNothing() {
        DeploymentPlan other = Plans.load(dir, "gbr.yml", TEMPLATE.replace("name: fra", "name: gbr"), Map.of("LOG_LEVEL", "info"));
        assertThat(resume(recorded(other, DeploymentState.COMPLETE, 1, 2, 3), runningAsDeployed()).why())
                .isEqualTo("the recorded deployment is of gbr, not fra");
        Resume removed = resume(complete().removed("t10"), runningAsDeployed());
        assertThat(removed.resumeAt()).isEqualTo(1);
        assertThat(removed.why()).isEqualTo("no earlier deployment is running (it was removed)");
    }

    @Test
    void aCompleteHealthyUnchangedDeploymentIsTakenOverWhole() {
        Resume r = resume(complete(), runningAsDeployed());
        assertThat(r.complete()).isTrue();
        assertThat(r.resumeAt()).isZero();
        assertThat(r.why()).isEqualTo("every stage is running and unchanged");
        assertThat(adoptedStages(r)).containsExactly(1, 2, 3);
        assertThat(r.adopted()).containsOnlyKeys("db", "init", "web", "kas");
        assertThat(r.adopted().get("kas").containerId()).isEqualTo("id-kas");
    }

    @Test
    void anInterruptedDeploymentResumesAtTheStageItDidNotComplete() {
        DeploymentState interrupted = recorded(plan, DeploymentState.DEPLOYING, 1, 2)
                .withInterruption(new DeploymentState.Interruption("SIGTERM", 3, List.of("kas"), "t5", "kept"), true, "t5");
        Resume r = resume(interrupted, runningAsDeployed());
        assertThat(r.resumeAt()).isEqualTo(3);
        assertThat(r.why()).isEqualTo("stage 3 did not complete earlier (interrupted by SIGTERM during stage 3)");
        assertThat(adoptedStages(r)).containsExactly(1, 2);
        assertThat(r.adopted()).containsOnlyKeys("db", "init", "web");
        assertThat(resume(recorded(plan, DeploymentState.FAILED, 1), runningAsDeployed()).why())
                .isEqualTo("stage 2 did not complete earlier (failed)");
    }

    @Test
    void aChangedServiceDefinitionResumesAtItsStageNamingTheService() {
        // the .env changed web's environment; the recorded fingerprint is the old one
        DeploymentPlan changed = Plans.load(dir, "changed.yml", TEMPLATE, Map.of("LOG_LEVEL", "debug"));
        Resume r = Resume.plan(changed, all, complete(), runningAsDeployed(), Duration.ZERO);
        assertThat(r.resumeAt()).isEqualTo(2);
        assertThat(r.why()).isEqualTo("web's definition changed (template or .env)");
        assertThat(adoptedStages(r)).containsExactly(1);
        assertThat(r.adopted()).containsOnlyKeys("db", "init");
    }

    @Test
    void aDifferentTemplateFileAloneChangesNothing() {
        // the services' fingerprints decide, not the file's: an edit elsewhere in it (a comment, another service) keeps
        // the unchanged stages, which is how a variant of the template resumes at the stage it changed
        DeploymentState other = complete();
        other = new DeploymentState(other.project(), other.template(), "0".repeat(64), other.runId(), other.status(), other.updatedAt(),
                other.kept(), other.resumedAt(), other.stages(), other.interruption(), other.failures());
        DeploymentPlan commented = Plans.load(dir, "commented.yml", "# edited\n" + TEMPLATE, Map.of("LOG_LEVEL", "info"));
        assertThat(Resume.fileHash(commented.source())).isNotEqualTo(complete().templateHash());
        assertThat(Resume.plan(commented, all, other, runningAsDeployed(), Duration.ZERO).complete()).isTrue();
    }

    @Test
    void aContainerThatNoLongerExistsIsDeployedAgain() {
        Resume r = resume(complete(), runningAsDeployed().withoutContainer("id-kas"));
        assertThat(r.resumeAt()).isEqualTo(3);
        assertThat(r.why()).isEqualTo("container kas-fra of kas no longer exists");
        assertThat(adoptedStages(r)).containsExactly(1, 2);
    }

    @Test
    void anUnhealthyOrStoppedContainerIsDeployedAgain() {
        assertThat(resume(complete(), runningAsDeployed().container(looking("kas", c -> withHealth(c, "unhealthy")))).why())
                .isEqualTo("kas is unhealthy");
        assertThat(resume(complete(), runningAsDeployed().container(looking("web", c -> stopped(c, "exited", 137L)))).why())
                .isEqualTo("web is not running (exited)");
        Resume failedOnce = resume(complete(), runningAsDeployed().container(looking("init", c -> stopped(c, "exited", 1L))));
        assertThat(failedOnce.why()).isEqualTo("init exited with code 1");
        assertThat(failedOnce.resumeAt()).isEqualTo(1);
    }

    @Test
    void aOneShotServiceStillRunningIsTakenOverLikeOneThatExitedZero() {
        var running = new ContainerView("id-init", "init-fra", "sha256:tools:1", "running", true, null, null, Map.of(), Set.of());
        assertThat(resume(complete(), runningAsDeployed().container(running)).complete()).as("running, no healthcheck").isTrue();
    }

    @Test
    void aContainerStillStartingGetsTheQuickCheckToTurnHealthy() {
        ContainerView starting = looking("kas", c -> withHealth(c, "starting"));
        assertThat(resume(complete(), runningAsDeployed().container(starting)).why()).as("no time to wait").isEqualTo("kas is starting");
        FakeEngine turnsHealthy = runningAsDeployed().container(starting, ready(plan.service("kas")));
        assertThat(Resume.plan(plan, all, complete(), turnsHealthy, Duration.ofSeconds(10)).complete()).isTrue();
    }

    @Test
    void aContainerTheEngineStillCallsStartingIsTakenOverWhenItsOwnHealthCommandPasses() {
        ContainerView starting = looking("kas", c -> withHealth(c, "starting"));
        Resume r = resume(complete(), runningAsDeployed().container(starting).ownCommandPasses(starting.id()));
        assertThat(r.complete()).as("ready by its own command, as the deployer judged it: " + r.why()).isTrue();
        assertThat(resume(complete(), runningAsDeployed().container(looking("kas", c -> withHealth(c, "unhealthy")))
                .ownCommandPasses(starting.id())).why()).as("the engine's unhealthy is not overruled").isEqualTo("kas is unhealthy");
    }

    @Test
    void aDifferentImageIdOrAMissingImageIsDeployedAgain() {
        assertThat(resume(complete(), runningAsDeployed().image("web:2", "sha256:rebuilt")).why())
                .isEqualTo("image web:2 of web changed since it was deployed");
        assertThat(resume(complete(), runningAsDeployed().withoutImage("web:2")).why()).isEqualTo("image web:2 of web is not present");
        var other = looking("web", c -> new ContainerView(c.id(), c.name(), "sha256:else", c.state(), true, null, null, Map.of(), Set.of()));
        assertThat(resume(complete(), runningAsDeployed().container(other)).why()).isEqualTo("container web-fra runs another image than web:2");
    }

    @Test
    void whenAnEarlierStageFailsItsReCheckEveryLaterStageIsDeployedAgain() {
        // kas (stage 3) is healthy, but it is built on stage 1, which is deployed again
        Resume r = resume(complete(), runningAsDeployed().container(looking("db", c -> withHealth(c, "unhealthy"))));
        assertThat(r.resumeAt()).isEqualTo(1);
        assertThat(r.why()).isEqualTo("db is unhealthy");
        assertThat(r.adopted()).isEmpty();
        assertThat(r.adoptedStages()).isEmpty();
        Resume middle = resume(complete(), runningAsDeployed().withoutContainer("id-web"));
        assertThat(middle.resumeAt()).isEqualTo(2);
        assertThat(middle.adopted()).as("not kas of stage 3").containsOnlyKeys("db", "init");
    }

    @Test
    void onlyTheSelectedServicesAreReCheckedAndAServiceMissingFromItsRecordedStageIsDeployed() {
        Set<String> dbOnly = Selection.of(plan, Set.of("db"));
        Resume r = Resume.plan(plan, dbOnly, complete(), runningAsDeployed().withoutContainer("id-kas"), Duration.ZERO);
        assertThat(r.complete()).as("kas is not selected, so its absence does not matter").isTrue();
        assertThat(r.adopted()).containsOnlyKeys("db");
        DeploymentPlan withRedis = Plans.load(dir, "redis.yml", TEMPLATE + """
                  redis:
                    image: redis:7
                    labels: {dive.deploy.stage: "2"}
                """, Map.of("LOG_LEVEL", "info"));
        Resume added = Resume.plan(withRedis, Selection.of(withRedis, null), complete(), runningAsDeployed().image("redis:7", "sha256:r"),
                Duration.ZERO);
        assertThat(added.resumeAt()).isEqualTo(2);
        assertThat(added.why()).isEqualTo("redis was not part of the recorded stage 2");
    }
}
