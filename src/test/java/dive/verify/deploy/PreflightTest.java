package dive.verify.deploy;

import dive.verify.deploy.EngineView.ContainerView;
import dive.verify.template.DeploymentPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every check made before anything is created, decided from the plan and what the (fake) engine reports. */
class PreflightTest {
    static final Set<String> BOTH = new LinkedHashSet<>(List.of("db", "web")); // in order: the problems come in it
    static final String IMAGE_MISSING = " is not present; build the offline kit with templates/kit/build.sh (or, with a registry, pull it yourself)";

    @TempDir static Path dir;
    static DeploymentPlan plan;

    @BeforeAll
    static void plan() {
        plan = Plans.load(dir, "compose.yml", """
                name: fra
                networks:
                  hub: {external: true, name: dive-hub}
                  internal: {}
                volumes:
                  shared: {external: true}
                  data: {}
                services:
                  db:
                    image: postgres:15
                    container_name: db-fra
                    ports: ["15432:5432"]
                    volumes: [data:/data]
                    networks: [internal]
                    labels: {dive.deploy.stage: "1"}
                  web:
                    image: web:2
                    container_name: web-fra
                    ports: ["18080:8080", "9000"]
                    volumes: [shared:/shared]
                    networks: [internal, hub]
                    depends_on: [db]
                    labels: {dive.deploy.stage: "2"}
                """, Map.of());
    }

    /** Everything the plan needs is there and nothing is in the way. */
    private static FakeEngine ready() {
        return new FakeEngine().image("postgres:15", "sha256:p").image("web:2", "sha256:w").network("dive-hub").volume("shared");
    }

    private static ContainerView leftover(String name, int port, Map<String, String> runLabels) {
        Map<String, String> labels = new java.util.HashMap<>(Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT, RunContext.DEPLOYMENT_LABEL, "fra"));
        labels.putAll(runLabels);
        return new ContainerView("id-" + name, name, "sha256:p", "exited", false, 1L, null, labels, Set.of(port));
    }

    private static List<String> problems(Set<String> toCreate, FakeEngine engine) {
        return Preflight.problems(plan, toCreate, engine.containersOf("fra"), engine);
    }

    @Test
    void nothingInTheWayMeansNoProblem() {
        assertThat(problems(BOTH, ready())).isEmpty();
        Preflight.check(plan, BOTH, List.of(), ready()); // and so no failure
    }

    @Test
    void aMissingImageIsNamedOnce() {
        assertThat(problems(BOTH, ready().withoutImage("web:2"))).containsExactly("image web:2" + IMAGE_MISSING);
    }

    @Test
    void aBusyHostPortIsNamedWithItsService() {
        assertThat(problems(BOTH, ready().busyPort(18080))).containsExactly("service web: host port 18080 is already in use");
        assertThat(problems(BOTH, ready().busyPort(9000))).as("9000 is published on a port the engine picks").isEmpty();
    }

    @Test
    void aContainerOfTheSameNameThatIsNoLeftoverClashes() {
        var stranger = new ContainerView("x1", "web-fra", "sha256:w", "running", true, null, null, Map.of(), Set.of());
        assertThat(problems(BOTH, ready().container(stranger)))
                .containsExactly("service web: a container named web-fra already exists (remove it, or run ./dive-verify clean to remove leftovers)");
    }

    @Test
    void missingExternalNetworksAndVolumesAreNamedWithTheirKeys() {
        assertThat(problems(BOTH, new FakeEngine().image("postgres:15", "p").image("web:2", "w"))).containsExactly(
                "external network dive-hub (network hub) does not exist; create it first (or deploy the hub, which creates it)",
                "external volume shared (volume shared) does not exist; create it first (docker volume create shared)");
        assertThat(problems(Set.of("db"), new FakeEngine().image("postgres:15", "p"))).as("only what is created counts").isEmpty();
    }

    @Test
    void unsetVariablesAreNamedWithTheFile() {
        DeploymentPlan unset = Plans.load(dir, "unset.yml", """
                name: fra
                services:
                  db:
                    image: postgres:15
                    environment: {PASSWORD: "${DB_PASSWORD}"}
                    labels: {dive.deploy.stage: "1"}
                """, Map.of());
        assertThat(Preflight.problems(unset, Set.of("db"), List.of(), ready())).containsExactly(dir.resolve("unset.yml")
                + ": variables used but not set (they became empty): [DB_PASSWORD] — set them in the instance's .env or give them a default (${VAR:-default})");
    }

    @Test
    void aDependencyMustBeInAnEarlierStageAndInAStageAtAll() {
        assertThat(Preflight.problems(Plans.withStage(plan, "db", 3), BOTH, List.of(), ready()))
                .containsExactly("service web (stage 2) depends on db of a later stage 3");
        assertThat(Preflight.problems(Plans.withStage(plan, "db", 0), BOTH, List.of(), ready()))
                .containsExactly("service web depends on db, which is in no stage and will never start");
        assertThat(Preflight.problems(Plans.withStage(plan, "db", 2), BOTH, List.of(), ready())).as("the same stage").isEmpty();
    }

    @Test
    void aLeftoverOfThisRunOrOfAFinishedOneIsNoClash() {
        // its name and port are taken by it, and it is removed before anything is created
        var ours = leftover("db-fra", 15432, Map.of(RunContext.RUN_LABEL, RunContext.current().runId()));
        var finished = leftover("web-fra", 18080, Map.of(RunContext.RUN_LABEL, "20240101-000000-abcdef")); // no process recorded
        FakeEngine engine = ready().container(ours).container(finished).busyPort(15432).busyPort(18080);
        assertThat(problems(BOTH, engine)).isEmpty();
    }

    @Test
    void aLeftoverOfAnotherLiveRunStopsTheDeployment() {
        var theirs = leftover("db-fra", 15432, Map.of(RunContext.RUN_LABEL, "other-run", RunContext.PID_LABEL, "4242",
                RunContext.HOST_LABEL, "another-host")); // a run on another host counts as alive
        FakeEngine engine = ready().container(theirs).busyPort(15432);
        assertThat(problems(BOTH, engine)).containsExactly(
                "fra is in use by another live run: db-fra (run other-run, process 4242) — wait for it, or stop it (Ctrl-C) before deploying again",
                // not ours to remove: its port and name stay taken
                "service db: host port 15432 is already in use",
                "service db: a container named db-fra already exists (remove it, or run ./dive-verify clean to remove leftovers)");
    }

    @Test
    void aLiveProcessOnThisHostOwnsItsLeftovers() {
        var theirs = leftover("db-fra", 15432, Map.of(RunContext.RUN_LABEL, "other-run",
                RunContext.PID_LABEL, String.valueOf(ProcessHandle.current().pid()), RunContext.HOST_LABEL, RunContext.host()));
        assertThat(problems(Set.of("web"), ready().container(theirs))).singleElement().asString()
                .startsWith("fra is in use by another live run: db-fra (run other-run, process ");
    }

    @Test
    void everyProblemIsReportedAtOnceInAFixedOrder() {
        var theirs = leftover("old-fra", 1, Map.of(RunContext.RUN_LABEL, "other-run", RunContext.PID_LABEL, "7",
                RunContext.HOST_LABEL, "another-host"));
        FakeEngine engine = new FakeEngine().container(theirs).busyPort(15432).busyPort(18080);
        DeploymentPlan later = Plans.withStage(plan, "db", 3);
        List<String> problems = Preflight.problems(later, BOTH, engine.containersOf("fra"), engine);
        assertThat(problems).containsExactly(
                "fra is in use by another live run: old-fra (run other-run, process 7) — wait for it, or stop it (Ctrl-C) before deploying again",
                "service db: host port 15432 is already in use",
                "service web (stage 2) depends on db of a later stage 3",
                "service web: host port 18080 is already in use",
                "external network dive-hub (network hub) does not exist; create it first (or deploy the hub, which creates it)",
                "external volume shared (volume shared) does not exist; create it first (docker volume create shared)",
                "image postgres:15" + IMAGE_MISSING,
                "image web:2" + IMAGE_MISSING);
        assertThatThrownBy(() -> Preflight.check(later, BOTH, engine.containersOf("fra"), engine))
                .isInstanceOf(DeploymentFailure.class)
                .hasMessageContaining("nothing was created, because:\n  - fra is in use by another live run")
                .hasMessageContaining("\n  - image web:2" + IMAGE_MISSING);
    }
}
