package dive.verify.steps;

import dive.verify.deploy.Attach;
import dive.verify.deploy.ComposeCommand;
import dive.verify.template.ComposeVariant;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attach mode: a spoke deployed by another tool (Debian's docker-compose, as
 * an operator's pipeline would) is verified by the same checks, and nothing
 * it owns is created, restarted or removed by the verification.
 */
public final class AttachSteps {
    private final World world;
    private ComposeCommand compose;
    private Map<String, Attach.Seen> before;

    public AttachSteps(World world) { this.world = world; }

    @Given("the spoke is deployed with docker-compose, not by the harness")
    @Given("the variant is deployed with docker-compose, not by the harness")
    public void deployWithCompose() {
        deployWithCompose(null);
    }

    /** The smallest deployment that shows a fault: one service and what it depends on, started by compose. */
    @Given("the variant's {word} is deployed with docker-compose, with what it depends on, not by the harness")
    public void deployPartWithCompose(String kind) {
        deployWithCompose(world.instance().service(kind));
    }

    private void deployWithCompose(String onlyService) {
        var instance = world.instance();
        // the spoke's names and ports are the instance's: nothing of the harness may hold them
        Harness.release(instance.code().upper());
        Path source = world.variant != null ? world.variant : instance.composeFile();
        ComposeVariant converted = ComposeVariant.of(source).forDockerCompose();
        Path file = converted.writeBeside(instance.composeFile(), "docker-compose-" + (world.variantName == null ? "spoke" : world.variantName));
        compose = new ComposeCommand(file, "dive-spoke-" + instance.code().lower(), converted.initServices());
        world.cleanups.add(compose::down);
        // the one-shot init services go with a part: nothing depends on them, but MongoDB is PRIMARY only through its init
        List<String> services = new ArrayList<>();
        if (onlyService != null) {
            services.add(onlyService);
            services.addAll(converted.initServices());
        }
        compose.upAndWaitHealthy(Duration.ofSeconds(300), Duration.ofSeconds(1), services);
    }

    @When("the harness attaches to the compose project of the spoke")
    public void attach() {
        Path file = world.variant != null ? world.variant : world.instance().composeFile();
        before = Attach.containers(compose.project());
        world.deployment = Attach.to(world.instance().plan(file), compose.project());
        var attached = world.deployment;
        world.cleanups.add(attached::close);
    }

    @Then("nothing the compose deployment owns was changed by the verification")
    public void untouched() {
        Map<String, Attach.Seen> after = Attach.containers(compose.project());
        assertThat(before).as("containers of the compose project before the verification").isNotEmpty();
        assertThat(after.keySet()).as("services with a container, before and after").isEqualTo(before.keySet());
        for (var e : before.entrySet()) {
            Attach.Seen a = after.get(e.getKey());
            assertThat(a.id()).as("container of %s (recreated?)", e.getKey()).isEqualTo(e.getValue().id());
            assertThat(a.startedAt()).as("start time of %s (restarted?)", e.getKey()).isEqualTo(e.getValue().startedAt());
        }
        System.out.println("[dive-verify] the verification changed nothing: " + before.size()
                + " containers, the same ids and start times before and after");
    }

    @Given("a variant of the template without the {string} service")
    public void withoutService(String kind) {
        ComposeVariant v = ComposeVariant.of(world.instance().composeFile()).removeService(world.instance().service(kind));
        world.variant = v.writeBeside(world.instance().composeFile(), "without-" + kind);
        world.variantName = "without-" + kind;
    }

    @Then("the check that all nine services of the spoke exist fails, naming {string}")
    public void nineFail(String name) {
        List<String> nine = DeploymentSteps.spokeServiceKeys(world.instance());
        NegativeSteps.expectFailure("the all-services-exist check", () -> world.checks().allServicesExistAndHealthy(nine), name);
    }
}
