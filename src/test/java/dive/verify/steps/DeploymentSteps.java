package dive.verify.steps;

import dive.verify.check.Contract;
import dive.verify.deploy.DeployOptions;
import dive.verify.deploy.Deployment;
import dive.verify.deploy.DeploymentFailure;
import dive.verify.instance.Instance;
import dive.verify.template.ComposeVariant;
import dive.verify.template.ServiceSpec;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.When;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Initialising instances and deploying them (or broken variants of them). */
public final class DeploymentSteps {
    /** The key of the hub that "the hub ... is running" deploys and every scenario after it reuses. */
    static final String HUB_KEY = "hub:all";

    private final World world;

    public DeploymentSteps(World world) { this.world = world; }

    @Given("spoke {string} named {string} is initialised from the spoke template")
    public void initSpoke(String code, String name) {
        if (AttachTarget.ENABLED) {
            // the operator's instance: nothing is initialised, nothing written
            world.instance = AttachTarget.instance(code);
            world.instances.put(world.instance.code().upper(), world.instance);
            return;
        }
        var result = Harness.init("spoke", code, name);
        world.instance = Instance.load(result.directory());
        world.instances.put(world.instance.code().upper(), world.instance);
    }

    @When("spokes {string} and {string} are both running their data services")
    public void twoSpokes(String a, String b) {
        // side by side, as operators deploy independent spokes: most of each is waiting (readiness, the engine's agreement)
        Map<String, Supplier<Deployment>> deploys = new LinkedHashMap<>();
        for (String code : List.of(a, b)) {
            Instance i = world.instances.get(code);
            if (i == null) throw new IllegalStateException("spoke " + code + " was not initialised by an earlier step");
            Set<String> keys = new LinkedHashSet<>();
            for (String k : List.of("postgres", "mongodb", "redis", "opa")) keys.add(i.service(k));
            deploys.put("deploy-" + code.toLowerCase(), () -> Harness.deploy(i, String.join(",", keys), i.plan(), DeployOptions.only(keys), true));
        }
        Map<String, Deployment> deployed = SideBySide.run(deploys);
        for (String code : List.of(a, b)) world.deployments.put(code, deployed.get("deploy-" + code.toLowerCase()));
    }

    @Given("the hub {string} named {string} is running")
    public void hubRunning(String code, String name) {
        if (AttachTarget.ENABLED) {
            System.out.println("[dive-verify] attach mode: the hub is the operator's; it is not deployed here");
            return;
        }
        var result = Harness.init("hub", code, name);
        Instance hub = Instance.load(result.directory());
        world.hub = hub;
        world.instances.put(hub.code().upper(), hub);
        world.hubDeployment = Harness.deploy(hub, HUB_KEY, hub.plan(), DeployOptions.all(), true);
    }

    @Given("the hub has issued spoke {string} its OPAL client token")
    public void opalToken(String code) {
        if (AttachTarget.ENABLED) return; // the operator's spoke holds the token its hub issued
        if (world.hub == null) throw new IllegalStateException("no hub: a step must start the hub first");
        Instance spoke = world.instances.get(code);
        if (spoke == null) throw new IllegalStateException("spoke " + code + " was not initialised by an earlier step");
        dive.verify.check.OpalClientToken.storeFor(spoke, dive.verify.check.OpalClientToken.issue(world.hub));
    }

    @Given("its services {word}, {word}, {word}, {word} and {word} are deployed")
    public void deployServices(String a, String b, String c, String d, String e) {
        deploySubset(List.of(a, b, c, d, e), true);
    }

    @Given("the whole spoke is deployed stage by stage")
    public void deployWholeSpoke() {
        if (AttachTarget.ENABLED) {
            world.deployment = AttachTarget.deployment(world.instance());
            return;
        }
        var plan = world.instance().plan();
        world.deployment = Harness.deploy(world.instance, "all", plan, DeployOptions.all(), true);
    }

    private void deploySubset(List<String> kinds, boolean reusable) {
        Set<String> keys = new LinkedHashSet<>();
        for (String k : kinds) keys.add(world.instance().service(k));
        var plan = world.instance().plan();
        world.deployment = Harness.deploy(world.instance, String.join(",", keys), plan, DeployOptions.only(keys), reusable);
    }

    // ------------------------------------------------------------ variants

    @Given("a variant of the template where {string} has no deployment stage")
    public void variantWithoutStage(String kind) {
        variant("no-stage-" + kind, v -> v.removeLabel(world.instance.service(kind), ServiceSpec.STAGE_LABEL));
    }

    @Given("a variant of the template where the backend gets no {string}")
    public void variantWithoutBackendEnv(String variable) {
        variant("backend-without-" + variable.toLowerCase(), v -> v.removeEnvironment(world.instance.service("backend"), variable));
    }

    /** A budget below the contract's 90 s names the same fault sooner: the longer wait would change nothing in the finding. */
    @Given("a variant of the template where MongoDB is never initiated and its start budget is {int} seconds")
    public void variantMongoNotInitiatedWithBudget(int seconds) {
        String mongo = world.instance.service("mongodb");
        variant("mongodb-not-initiated", v -> v.remove(mongo, "post_start").setLabel(mongo, ServiceSpec.BUDGET_LABEL, String.valueOf(seconds)));
    }

    @Given("a variant of the template where Redis starts without its config file")
    public void variantRedisWithoutConfig() {
        // as in the incident: the image's bare `redis-server`, no config file and no arguments
        variant("redis-without-config", v -> v.set(world.instance.service("redis"), "command", List.of("redis-server")));
    }

    @Given("a variant of the template where the {string} health check can never pass and its start budget is {int} seconds")
    public void variantNeverHealthy(String kind, int seconds) {
        String service = world.instance.service(kind);
        variant(kind + "-never-healthy", v -> v
                .set(service, "healthcheck", new java.util.LinkedHashMap<>(java.util.Map.of("test", List.of("CMD-SHELL", "exit 1"),
                        "interval", "1s", "timeout", "1s", "retries", 1000)))
                .setLabel(service, ServiceSpec.BUDGET_LABEL, String.valueOf(seconds)));
    }

    /**
     * The harness calls a service ready on the first pass of its health command, run by itself while
     * the service starts; the engine runs the same command later. A command that passes once and never
     * again passes for the harness and fails for the engine: the check of the services' health must name it.
     * The engine's first check comes one interval (5 s) after the start, long after the harness's first.
     */
    @Given("a variant of the template where the {string} health check passes only once")
    public void variantHealthyOnce(String kind) {
        variant(kind + "-healthy-once", v -> v.set(world.instance.service(kind), "healthcheck", new java.util.LinkedHashMap<>(java.util.Map.of(
                "test", List.of("CMD-SHELL", "test ! -e /tmp/dive-checked-once && touch /tmp/dive-checked-once"),
                "interval", "5s", "timeout", "3s", "retries", 1))));
    }

    @Given("a variant of the template where {string} and {string} exit as soon as they start")
    public void variantBothExit(String a, String b) {
        variant(a + "-and-" + b + "-exit", v -> {
            for (String k : List.of(a, b)) {
                v.set(world.instance.service(k), "entrypoint", List.of("sh", "-c", "echo 'deliberately broken: exiting'; exit 1"));
                v.remove(world.instance.service(k), "command");
            }
        });
    }

    @Given("a variant of the template where nothing is changed")
    public void variantUnchanged() {
        variant("unchanged", v -> { });
    }

    private void variant(String name, java.util.function.Consumer<ComposeVariant> change) {
        ComposeVariant v = ComposeVariant.of(world.instance().composeFile());
        change.accept(v);
        world.variant = v.writeBeside(world.instance.composeFile(), name);
        world.variantName = name;
    }

    @When("the variant is deployed with services {kinds}")
    public void deployVariant(List<String> kinds) {
        if (world.variant == null) throw new IllegalStateException("no variant: a step must make one first");
        Set<String> keys = new LinkedHashSet<>();
        for (String k : kinds) keys.add(world.instance().service(k));
        var plan = world.instance.plan(world.variant);
        try {
            world.deployment = Harness.deploy(world.instance, "variant:" + world.variantName, plan, DeployOptions.only(keys), false);
        } catch (DeploymentFailure e) {
            world.deployFailure = e;
        }
    }

    @io.cucumber.java.ParameterType(name = "kinds", value = "[a-z-]+(?:(?:, | and )[a-z-]+)*")
    public List<String> kinds(String text) {
        return Arrays.stream(text.split(", | and ")).map(String::trim).toList();
    }

    static List<String> spokeServiceKeys(Instance instance) {
        return Contract.SPOKE_SERVICES.stream().map(instance::service).toList();
    }
}
