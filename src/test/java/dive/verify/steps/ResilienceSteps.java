package dive.verify.steps;

import dive.verify.deploy.DeployOptions;
import dive.verify.deploy.Deployment;
import dive.verify.deploy.DeploymentFailure;
import dive.verify.deploy.Engine;
import dive.verify.deploy.Sweeper;
import dive.verify.state.DeploymentState;
import dive.verify.state.StateFile;
import dive.verify.template.ServiceSpec;
import io.cucumber.java.ParameterType;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Interrupting, killing and resuming deployments; the state file; sweeping; reuse; timeouts. */
public final class ResilienceSteps {
    /** Long enough for a whole spoke on this machine (about a minute) with room to spare. */
    private static final Duration DEPLOY_MAX = Duration.ofMinutes(6);

    private final World world;
    /** Container ids by service as recorded before the next deployment, to tell reused from recreated. */
    private Map<String, String> before = Map.of();
    private Engine.Lookalikes decoys;

    public ResilienceSteps(World world) { this.world = world; }

    @ParameterType(name = "stages", value = "\\d+(?:(?:, | and )\\d+)*")
    public List<Integer> stages(String text) {
        return Arrays.stream(text.split(", | and ")).map(String::trim).map(Integer::valueOf).toList();
    }

    // ------------------------------------------------------------ a separate harness process

    @Given("a harness process deploys the spoke, keeping what runs if it is interrupted")
    public void processKeeping() { startProcess("--keep", "on-failure"); }

    @Given("a harness process deploys the spoke with the default settings")
    public void processDefault() { startProcess("--keep", "never"); }

    @Given("a harness process deploys that variant, keeping it if it fails")
    public void processVariantKeepingOnFailure() {
        if (world.variant == null) throw new IllegalStateException("no variant: a step must make one first");
        startProcess("--keep", "on-failure", "--compose", world.variant.toString());
    }

    @Given("a harness process has deployed the spoke and left it running")
    public void processDeployedAndLeft() {
        HarnessProcess p = startProcess("--keep", "always");
        int code = p.awaitExit(DEPLOY_MAX);
        assertThat(code).as("exit code of the deploying harness process; its last lines:\n%s", p.tail(30)).isZero();
        before = containersOf(world.instance().plan().project());
        assertThat(before).as("containers of the deployment left running").hasSize(9);
    }

    @When("another harness process verifies it in reuse mode")
    public void processReuse() {
        HarnessProcess p = HarnessProcess.deploy(world.instance().dir(), "--reuse");
        world.processes.add(p);
        cleanUpAfter(p);
        p.awaitExit(DEPLOY_MAX);
    }

    private HarnessProcess startProcess(String... options) {
        // the spoke's container names and ports are fixed: whatever this run has of it goes first
        Harness.release(world.instance().code().upper());
        HarnessProcess p = HarnessProcess.deploy(world.instance().dir(), options);
        world.processes.add(p);
        cleanUpAfter(p);
        return p;
    }

    private void cleanUpAfter(HarnessProcess p) {
        String run = p.runId();
        world.cleanups.add(() -> Sweeper.removeRun(run));
    }

    private HarnessProcess last() {
        if (world.processes.isEmpty()) throw new IllegalStateException("no harness process: a step must start one first");
        return world.processes.get(world.processes.size() - 1);
    }

    @When("it receives SIG{word} during stage {int}")
    public void signalDuringStage(String signal, int stage) {
        // services start by dependency, so a later stage may start before an earlier one is complete: "during stage N"
        // is once every earlier stage is complete and stage N has started (its services without depends_on start then)
        if (stage > 1) last().awaitLine("stage " + (stage - 1) + " of \\d+ ready", DEPLOY_MAX);
        last().awaitLine("stage " + stage + " of \\d+: starting", DEPLOY_MAX);
        last().signal(signal);
    }

    @When("it is killed with SIGKILL once {string} is healthy")
    public void killOnce(String service) {
        last().awaitLine(java.util.regex.Pattern.quote(service) + "\\s+healthy in", DEPLOY_MAX);
        last().signal("KILL");
        assertThat(last().awaitExit(Duration.ofSeconds(30))).as("exit code of a process killed with SIGKILL").isEqualTo(137);
        // A request the process sent just before it died (the next service's create) is still carried out by
        // the engine; a real next run comes long after. Let the engine settle: what is labelled with the run
        // must read the same twice, a second apart.
        java.util.concurrent.atomic.AtomicReference<java.util.Set<String>> seen = new java.util.concurrent.atomic.AtomicReference<>();
        org.awaitility.Awaitility.await("the engine finishing the killed process's last requests")
                .atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofSeconds(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> seen.getAndSet(labelledNames()), was -> was != null && was.equals(seen.get()));
    }

    @Then("it exits with code {int}")
    public void exitsWith(int code) {
        assertThat(last().awaitExit(Duration.ofSeconds(120))).as("exit code of the harness process; its last lines:\n%s", last().tail(30))
                .isEqualTo(code);
    }

    @Then("it exits with code {int} and says {string}")
    public void exitsWithSaying(int code, String text) {
        exitsWith(code);
        assertThat(last().output()).as("output of the harness process").contains(text);
    }

    @Then("the verification took less than {int} seconds")
    public void tookLessThan(int seconds) {
        Duration took = last().took();
        System.out.printf("[dive-verify] reuse verification of a running spoke took %.1f s (process start to exit)%n", took.toMillis() / 1000.0);
        assertThat(took).as("time to verify a running spoke in reuse mode").isLessThan(Duration.ofSeconds(seconds));
    }

    @Then("no container of the spoke was created or recreated by the verification")
    public void noContainerRecreated() {
        assertThat(containersOf(world.instance().plan().project())).as("containers of the spoke, by service, after the verification")
                .isEqualTo(before);
    }

    // ------------------------------------------------------------ the state file

    private DeploymentState state() {
        return new StateFile(world.instance().dir()).read()
                .orElseThrow(() -> new AssertionError("there is no state file in " + world.instance().dir()));
    }

    @Then("the state file says the deployment was interrupted by SIG{word} at stage {int}, and {word}")
    public void stateInterrupted(String signal, int stage, String action) {
        DeploymentState s = state();
        assertThat(s.status()).as("status in the state file").isEqualTo(DeploymentState.INTERRUPTED);
        assertThat(s.interruption()).as("interruption in the state file").isNotNull();
        assertThat(s.interruption().signal()).as("signal").isEqualTo("SIG" + signal);
        assertThat(s.interruption().stage()).as("stage being deployed when the signal came").isEqualTo(stage);
        assertThat(s.interruption().action()).as("what was done with what ran").isEqualTo(action);
    }

    @Then("the state file says the deployment failed at stage {int}, naming {string}")
    public void stateFailed(int stage, String service) {
        DeploymentState s = state();
        assertThat(s.status()).as("status in the state file").isEqualTo(DeploymentState.FAILED);
        assertThat(s.kept()).as("kept for inspection").isTrue();
        assertThat(s.failures()).as("failures recorded in the state file")
                .anySatisfy(f -> {
                    assertThat(f.stage()).isEqualTo(stage);
                    assertThat(f.service()).isEqualTo(service);
                });
        assertThat(s.stage(stage)).as("stage %d recorded as completed", stage).isEmpty();
    }

    @Then("the state file records stages {stages} as completed, each service with its image id")
    public void stagesRecorded(List<Integer> stages) {
        DeploymentState s = state();
        var plan = world.instance().plan();
        assertThat(s.stages()).extracting(DeploymentState.StageRecord::stage).as("completed stages").containsExactlyElementsOf(stages);
        for (int stage : stages) {
            var record = s.stage(stage).orElseThrow();
            for (ServiceSpec spec : plan.servicesOfStage(stage)) {
                var r = record.services().get(spec.key());
                assertThat(r).as("record of %s in stage %d", spec.key(), stage).isNotNull();
                String imageId = Engine.imageId(spec.image());
                assertThat(r.imageId()).as("image id recorded for %s", spec.key()).isEqualTo(imageId);
                assertThat(r.containerId()).as("container id recorded for %s", spec.key()).isNotBlank();
            }
        }
        assertThat(s.templateHash()).as("template hash").matches("[0-9a-f]{64}");
    }

    @Then("the containers of stages {stages} are still running")
    public void stillRunning(List<Integer> stages) {
        DeploymentState s = state();
        for (int stage : stages) {
            for (var r : s.stage(stage).orElseThrow(() -> new AssertionError("stage " + stage + " is not recorded")).services().values()) {
                assertThat(Engine.isRunning(r.containerId())).as("%s is running", r.container()).isTrue();
            }
        }
    }

    @Then("the state file says the deployment is complete")
    public void stateComplete() {
        DeploymentState s = state();
        assertThat(s.status()).as("status in the state file").isEqualTo(DeploymentState.COMPLETE);
        assertThat(s.stages()).extracting(DeploymentState.StageRecord::stage).as("completed stages").containsExactlyElementsOf(world.instance().plan().stages());
    }

    // ------------------------------------------------------------ deploying again

    @When("the spoke is deployed again")
    public void deployAgain() {
        deployAgain(world.instance().plan());
    }

    @When("a variant of the template where {word} gets the extra setting {string} = {string} is deployed again")
    @SuppressWarnings("unchecked")
    public void deployVariantAgain(String kind, String name, String value) {
        var v = dive.verify.template.ComposeVariant.of(world.instance().composeFile());
        v.change(world.instance().service(kind), s -> ((Map<String, Object>) s.get("environment")).put(name, value));
        Path file = v.writeBeside(world.instance().composeFile(), kind + "-" + name.toLowerCase());
        deployAgain(world.instance().plan(file));
    }

    private void deployAgain(dive.verify.template.DeploymentPlan plan) {
        before = containersOf(plan.project());
        world.deployment = Harness.deploy(world.instance(), "again", plan, DeployOptions.all(), false);
    }

    @Then("the deployment resumed at stage {int}, reusing the containers of stage(s) {stages}")
    public void resumedAt(int stage, List<Integer> reused) {
        var d = world.deployment();
        var plan = d.plan();
        List<String> expected = new ArrayList<>();
        for (int s : reused) plan.servicesOfStage(s).forEach(spec -> expected.add(spec.key()));
        assertThat(d.resumedAt()).as("stage the deployment resumed at").isEqualTo(stage);
        assertThat(d.adoptedServices()).as("services taken over instead of recreated").containsExactlyInAnyOrderElementsOf(expected);
        for (String service : expected) {
            assertThat(d.containerId(service)).as("container of %s (reused, so the same as before)", service).isEqualTo(before.get(service));
        }
        for (ServiceSpec spec : plan.services().values()) {
            if (spec.stage() >= stage && before.containsKey(spec.key())) {
                assertThat(d.containerId(spec.key())).as("container of %s (stage %d, deployed again)", spec.key(), spec.stage())
                        .isNotEqualTo(before.get(spec.key()));
            }
        }
    }

    // ------------------------------------------------------------ leftovers and the sweep

    @Given("a container, a network and a volume that do not carry the project's label")
    public void decoys() {
        // they look like ours (same deployment label), but lack the project label: a sweep must leave them alone
        String image = world.instance().plan().service(world.instance().service("postgres")).image();
        Engine.Lookalikes made = Engine.Lookalikes.create(world.instance().plan().project(), image);
        decoys = made;
        world.cleanups.add(made::remove);
    }

    @Then("containers labelled with that process's run are left behind")
    public void leftBehind() {
        var left = Sweeper.labelled(last().runId());
        System.out.println("[dive-verify] the killed process left: " + left);
        assertThat(left.containers()).as("containers the killed process left").isNotEmpty();
    }

    /** What is labelled with the last process's run, as one set of kind:name, whatever order the engine lists it in. */
    private java.util.Set<String> labelledNames() {
        var l = Sweeper.labelled(last().runId());
        java.util.Set<String> names = new java.util.TreeSet<>();
        l.containers().forEach(n -> names.add("container:" + n));
        l.networks().forEach(n -> names.add("network:" + n));
        l.volumes().forEach(n -> names.add("volume:" + n));
        return names;
    }

    @When("the next run sweeps what earlier runs left")
    public void sweep() {
        Sweeper.Swept s = Sweeper.sweepOtherRuns();
        System.out.println("[dive-verify] swept " + s.containers() + " containers, " + s.networks() + " networks, " + s.volumes() + " volumes");
    }

    @Then("nothing labelled with that process's run remains")
    public void nothingLeft() {
        assertThat(Sweeper.labelled(last().runId())).as("what is labelled with run %s", last().runId())
                .isEqualTo(new Sweeper.Labelled(List.of(), List.of(), List.of()));
    }

    @Then("the container, the network and the volume without the project's label are still there")
    public void decoysSurvive() {
        if (decoys == null) throw new IllegalStateException("no lookalikes: a step must create them first");
        decoys.requireAllExist();
    }

    // ------------------------------------------------------------ timeouts

    @Given("the instance's timeouts file says {string}")
    public void timeoutsFile(String line) {
        Path file = world.instance().dir().resolve(dive.verify.cli.Deploy.TIMEOUTS_FILE);
        try {
            Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the instance directory is shared by the run's later scenarios: the file must not outlive this one
        world.cleanups.add(() -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @When("the whole spoke is deployed with that timeouts file")
    public void deployWithTimeouts() {
        try {
            world.deployment = Harness.deploy(world.instance(), "timeouts", world.instance().plan(), DeployOptions.all(), false);
        } catch (RuntimeException e) {
            world.deployFailure = e;
        }
    }

    @Then("the deployment fails, saying {string} and {string}")
    public void failsSaying(String a, String b) {
        assertThat(world.deployFailure).as("the deployment should have failed").isNotNull();
        assertThat(world.deployFailure.getMessage()).contains(a).contains(b);
    }

    @Then("nothing labelled with the spoke's deployment exists")
    public void nothingOfTheSpoke() {
        assertThat(containersOf(world.instance().plan().project())).as("containers of the spoke").isEmpty();
    }

    @Then("the failure table has one row for {string} and one for {string}")
    public void failureTable(String a, String b) {
        assertThat(world.deployFailure).isInstanceOf(DeploymentFailure.class);
        DeploymentFailure f = (DeploymentFailure) world.deployFailure;
        List<String> rows = f.csv().lines().skip(1).toList();
        assertThat(rows).as("rows of the failure table").hasSize(2);
        assertThat(rows).filteredOn(r -> r.contains("\"" + a + "\"")).as("rows for %s", a).hasSize(1);
        assertThat(rows).filteredOn(r -> r.contains("\"" + b + "\"")).as("rows for %s", b).hasSize(1);
        assertThat(f.getMessage()).as("the failure message starts with the table").contains("STAGE").contains(a).contains(b);
    }

    /** Containers of a deployment in the engine, by service (any run). */
    private static Map<String, String> containersOf(String project) {
        return Deployment.containersInEngine(project);
    }
}
