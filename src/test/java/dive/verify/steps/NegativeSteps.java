package dive.verify.steps;

import dive.verify.check.NeverInitiatedMongo;
import dive.verify.probe.Evidence;
import dive.verify.probe.MongoProbe;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-tests of the checks: each step runs a real check against a broken
 * variant and asserts that it FAILS, for the stated reason.
 */
public final class NegativeSteps {
    private final World world;

    public NegativeSteps(World world) { this.world = world; }

    /**
     * A negative: the check ran to its own verdict and judged the broken
     * variant "failed", with a finding that names the cause. An exception is
     * not a verdict: a check that throws is broken, and a setup error that
     * happens to quote the expected text must not pass for the check.
     */
    static void expectFailure(String check, Supplier<Evidence> run, String saying) {
        Evidence e;
        try {
            e = run.get();
        } catch (AssertionError | RuntimeException thrown) {
            throw new AssertionError(check + " did not reach a verdict (it threw, which is not a failed check): "
                    + dive.verify.report.Secrets.redact(String.valueOf(thrown.getMessage())), thrown);
        }
        assertThat(e).as("%s returned no evidence", check).isNotNull();
        assertThat(e.ok()).as("%s should have failed against the broken variant, but it passed: %s", check, e).isFalse();
        assertThat(e.observed()).as("why %s failed", check).contains(saying);
        System.out.println("[dive-verify] as expected, " + check + " failed: " + e.observed().lines().findFirst().orElse(""));
    }

    @Then("the Postgres check fails with a wrong password, saying {string}")
    public void postgresWrongPassword(String saying) {
        expectFailure("the Postgres check", () -> world.checks().postgresQuery("SELECT 1", "wrong-" + System.nanoTime()), saying);
    }

    @Then("the Redis check fails with a wrong password, saying {string}")
    public void redisWrongPassword(String saying) {
        expectFailure("the Redis check", () -> world.checks().redisPing("wrong-" + System.nanoTime()), saying);
    }

    @Then("the Keycloak check fails for realm {string}, saying {string}")
    public void keycloakNoRealm(String realm, String saying) {
        expectFailure("the Keycloak check", () -> world.checks().keycloakDiscovery(realm), saying);
    }

    @Then("the OPA check fails when no policy is loaded, saying {string}")
    public void opaNoPolicy(String saying) {
        expectFailure("the OPA check", () -> world.checks().opaDecisionWithoutPolicy(), saying);
    }

    @Then("the MongoDB check fails on a node that was never initiated, saying {string}")
    public void mongoNotInitiated(String saying) {
        // A second MongoDB of the same image and template, minus the replica-set initiation.
        try (var node = NeverInitiatedMongo.deploy(world.instance())) {
            expectFailure("the MongoDB primary check", node::primary, saying);
        }
    }

    @Then("the Redis check fails once the redis container is stopped, saying {string}")
    public void redisStopped(String saying) {
        Harness.spoil(world.instance().code().upper());
        world.deployment().stop(world.instance.service("redis"));
        var c = world.checks();
        expectFailure("the Redis check", () -> c.redisPing(c.redisPassword()), saying);
    }

    @Then("the check that all services exist fails, naming {string}")
    public void allExistFails(String name) {
        expectFailure("the all-services-exist check",
                () -> world.checks().allServicesExistAndHealthy(List.copyOf(world.deployment().selectedServices())), name);
    }

    @Then("the check that all services are healthy fails, naming {string} and saying {string}")
    public void allHealthyFails(String name, String saying) {
        Evidence[] seen = new Evidence[1];
        expectFailure("the all-services-healthy check",
                () -> seen[0] = world.checks().allServicesExistAndHealthy(List.copyOf(world.deployment().selectedServices())), saying);
        assertThat(seen[0].observed()).as("the service the failed check names").contains(name);
    }

    @Then("the forbidden-log check fails, quoting {string}")
    public void forbiddenLogFails(String quote) {
        expectFailure("the forbidden-log check", () -> world.checks().noForbiddenLogLines(List.of("SPOKE_TOKEN missing")), quote);
    }

    @Then("the audit check fails for resource {string}, saying {string}")
    public void auditFails(String resource, String saying) {
        world.checks().requestResource(resource, null);
        expectFailure("the audit check", () -> world.checks().auditRow(resource), saying);
    }

    @Then("the deployment fails, naming {string} and saying {string}")
    public void deploymentFails(String service, String saying) {
        assertThat(world.deployFailure).as("the deployment should have failed").isNotNull();
        assertThat(world.deployFailure.getMessage()).contains(service).contains(saying);
        System.out.println("[dive-verify] as expected, the deployment failed:\n" + world.deployFailure.getMessage());
    }

    @Then("the deployment failure also names {string}")
    public void failureAlsoNames(String service) {
        assertThat(world.deployFailure).as("the deployment should have failed").isNotNull();
        assertThat(world.deployFailure).isInstanceOf(dive.verify.deploy.DeploymentFailure.class);
        var failures = ((dive.verify.deploy.DeploymentFailure) world.deployFailure).failures();
        assertThat(failures).extracting(dive.verify.deploy.ServiceFailure::service).contains(service);
    }

    @When("MongoDB steps down for {int} seconds")
    public void stepDown(int seconds) {
        Harness.spoil(world.instance().code().upper());
        try (MongoProbe m = world.checks().mongo()) {
            m.stepDown(seconds).orFail();
        }
    }

    @Then("the MongoDB primary check fails, saying {string}")
    public void primaryFails(String saying) {
        expectFailure("the MongoDB primary check", () -> world.checks().mongoPrimary(), saying);
    }
}
