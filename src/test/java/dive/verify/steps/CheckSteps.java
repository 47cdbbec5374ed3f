package dive.verify.steps;

import dive.verify.poll.Poll;
import dive.verify.probe.Evidence;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The outcomes: each step runs one check and fails quoting what it saw. */
public final class CheckSteps {
    private final World world;

    public CheckSteps(World world) { this.world = world; }

    @Then("all nine services of the spoke exist and are healthy")
    public void allNine() {
        world.checks().allServicesExistAndHealthy(DeploymentSteps.spokeServiceKeys(world.instance)).orFail();
    }

    @Then("Postgres answers {string} with {string} using the instance's password")
    public void postgresAnswers(String sql, String expected) {
        var c = world.checks();
        Evidence e = c.postgresQuery(sql, c.postgresPassword()).orFail();
        assertThat(e.observed()).as("result of %s", sql).contains("[" + expected + "]");
    }

    @Then("Redis answers PING after AUTH with the instance's password")
    public void redisPing() {
        var c = world.checks();
        c.redisPing(c.redisPassword()).orFail();
    }

    @Then("Keycloak serves the OIDC discovery document of realm {string}")
    public void discovery(String realm) {
        world.checks().keycloakDiscovery(realm).orFail();
    }

    @Then("OPA answers a decision from a policy loaded into it")
    public void opaDecision() {
        world.checks().opaDecisionFromLoadedPolicy().orFail();
    }

    @Then("the spoke's OPA lists the policy {string}")
    public void opaListsPolicy(String id) {
        eventually(Duration.ofSeconds(15), () -> world.checks().opaHasPolicy(id));
    }

    @Then("the spoke's OPA denies a SECRET resource to a {string} subject, saying {string}")
    public void opaDenies(String clearance, String saying) {
        Evidence e = world.checks().diveAuthzDecision(clearance, "SECRET", world.instance.code().upper(), List.of(world.instance.code().upper())).orFail();
        assertThat(e.observed()).as("decision of data.dive.authz").contains("\"allow\":false").contains(saying);
    }

    @Then("MongoDB reports replica set state PRIMARY through the driver")
    public void mongoPrimary() {
        world.checks().mongoPrimary().orFail();
    }

    @Then("MongoDB says it is the writable primary")
    public void mongoWritable() {
        world.checks().mongoWritablePrimary().orFail();
    }

    @Then("MongoDB accepts a write to {string}")
    public void mongoWrite(String db) {
        world.checks().mongoWrite(db).orFail();
    }

    @Then("KAS answers {string} with a version that mentions {string}")
    public void kasHealth(String path, String mention) {
        world.checks().kasHealth(path, mention).orFail();
    }

    @Then("no container log contains a forbidden line, except {string} before registration")
    public void noForbiddenLines(String allowedRule) {
        world.checks().noForbiddenLogLines(List.of(allowedRule)).orFail();
    }

    @When("a client asks the backend for resource {string} without a token")
    public void askResource(String id) {
        Evidence e = world.checks().requestResource(id, null).orFail();
        // without a token the backend must refuse (and still write its audit row)
        assertThat(e.observed()).as("answer of the backend to %s without a token", id).isEqualTo("HTTP 401");
    }

    @Then("Postgres table \"audit_log\" has a row for resource {string}")
    public void auditRow(String id) {
        eventually(Duration.ofSeconds(10), () -> world.checks().auditRow(id));
    }

    @Then("MongoDB collection {string} of {string} has a unique index on {string}")
    public void uniqueIndex(String coll, String db, String field) {
        world.checks().mongoIndex(db, coll, field, true).orFail();
    }

    @Then("MongoDB collection {string} of {string} has an index on {string}")
    public void index(String coll, String db, String field) {
        world.checks().mongoIndex(db, coll, field, false).orFail();
    }

    @Then("within {int} seconds MongoDB reports replica set state PRIMARY again")
    public void primaryAgain(int seconds) {
        eventually(Duration.ofSeconds(seconds), () -> world.checks().mongoPrimary());
    }

    @Then("the backend reports healthy within {int} seconds")
    public void backendHealthy(int seconds) {
        eventually(Duration.ofSeconds(seconds), () -> world.checks().backendHealthy());
    }

    @Then("the two deployments share no container name, host port, network or volume")
    public void noClash() {
        var ds = List.copyOf(world.deployments.values());
        assertThat(ds).as("two deployments").hasSize(2);
        var a = ds.get(0);
        var b = ds.get(1);
        for (var d : ds) {
            // empty sets would share nothing and prove nothing
            assertThat(d.containerNames()).as("containers of %s", d.name()).hasSize(4);
            assertThat(d.hostPorts()).as("host ports of %s", d.name()).isNotEmpty();
            assertThat(d.networkNames()).as("networks of %s", d.name()).isNotEmpty();
            assertThat(d.volumeNames()).as("volumes of %s", d.name()).isNotEmpty();
        }
        assertThat(a.containerNames()).as("container names of %s and %s", a.name(), b.name()).doesNotContainAnyElementsOf(b.containerNames());
        assertThat(a.hostPorts()).as("host ports").doesNotContainAnyElementsOf(b.hostPorts());
        assertThat(a.networkNames()).as("networks").doesNotContainAnyElementsOf(b.networkNames());
        assertThat(a.volumeNames()).as("volumes").doesNotContainAnyElementsOf(b.volumeNames());
    }

    @Then("each spoke's Postgres answers with its own password and refuses the other's")
    public void ownPasswords() {
        var codes = List.copyOf(world.instances.keySet());
        for (int k = 0; k < 2; k++) {
            var self = world.instances.get(codes.get(k));
            var other = world.instances.get(codes.get(1 - k));
            var checks = new dive.verify.check.DeploymentChecks(self, world.deployments.get(codes.get(k)));
            checks.postgresQuery("SELECT 1", checks.postgresPassword()).orFail();
            String otherPw = other.secret("POSTGRES_PASSWORD_" + other.code().upper());
            NegativeSteps.expectFailure("the Postgres check of " + self.code() + " with " + other.code() + "'s password",
                    () -> checks.postgresQuery("SELECT 1", otherPw), "password authentication failed");
        }
    }

    /**
     * The one "eventually" form: retries every second until the check passes
     * or the time is up, then fails with the attempt count and the LAST evidence.
     */
    static void eventually(Duration within, Supplier<Evidence> check) {
        int[] attempts = {0};
        var seen = Poll.until(within, Duration.ofSeconds(1), () -> { attempts[0]++; return check.get(); }, Evidence::ok);
        if (!seen.done()) {
            // what the last attempt saw first, as for any failed check
            String timing = "not true within " + within.toSeconds() + " s (" + attempts[0] + " attempts)";
            Evidence last = seen.last();
            throw new AssertionError(last == null ? timing + ": no attempt finished"
                    : Evidence.failureMessage(timing + "; the last saw: " + last.observed(), last.what()));
        }
    }
}
