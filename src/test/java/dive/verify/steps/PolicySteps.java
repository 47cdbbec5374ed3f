package dive.verify.steps;

import dive.verify.instance.ImageProfile;
import dive.verify.instance.PolicyRepository;
import dive.verify.probe.Evidence;
import dive.verify.probe.OpaTestRunner;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The ACP-240 policy: its unit tests, and its distribution from the hub to the spokes through OPAL. */
public final class PolicySteps {
    private final World world;
    private Path policies = Harness.TEMPLATES.resolve("policies");
    private OpaTestRunner.Result testResult;
    private String publishedVersion;
    private Instant publishedAt;
    private Duration propagation;
    private Scenario scenario;

    public PolicySteps(World world) { this.world = world; }

    @io.cucumber.java.Before
    public void remember(Scenario s) { this.scenario = s; }

    private static String opaImage() {
        return ImageProfile.load(Harness.TEMPLATES, Harness.PROFILE).get("IMAGE_OPA");
    }

    @Given("a copy of the policies where clearance is no longer compared with classification")
    public void brokenPolicies() throws IOException {
        Path copy = dive.verify.deploy.RunContext.current().workDir().resolve("broken-policies/dive");
        Files.createDirectories(copy);
        String rego = Files.readString(policies.resolve("dive/authz.rego"));
        String broken = rego.replace("clearance_rank[normalized_clearance] < clearance_rank[input.resource.classification]", "false");
        assertThat(broken).as("the rule to break was found in authz.rego").isNotEqualTo(rego);
        Files.writeString(copy.resolve("authz.rego"), broken);
        Files.copy(policies.resolve("dive/authz_test.rego"), copy.resolve("authz_test.rego"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        policies = copy.getParent();
    }

    @When("the policy unit tests are run with the kit's OPA")
    @When("the policy unit tests are run with the kit's OPA on that copy")
    public void runOpaTest() {
        testResult = OpaTestRunner.run(opaImage(), policies);
        scenario.attach(testResult.output(), "text/plain", "opa test -v output");
    }

    @Then("every policy unit test passes")
    public void allPass() {
        assertThat(testResult.exitCode()).as("exit code of opa test; output:\n%s", testResult.output()).isZero();
        assertThat(testResult.output()).matches("(?s).*PASS: (\\d+)/\\1.*");
    }

    @Then("the policy unit tests fail, naming {string}")
    public void testsFail(String test) {
        assertThat(testResult.exitCode()).as("opa test should fail on the broken copy; output:\n%s", testResult.output()).isNotZero();
        assertThat(testResult.output()).contains(test + ": FAIL");
        System.out.println("[dive-verify] as expected, opa test failed: " + test);
    }

    @When("a new policy version is published in the hub's policy repository")
    public void publish() {
        publishedVersion = UUID.randomUUID().toString();
        new PolicyRepository(world.hub.dir().resolve("policy-repo")).publish("dive/version.rego",
                "package dive.version\n\n# published by dive-verify to measure distribution\nversion := \"" + publishedVersion + "\"\n",
                "policy version " + publishedVersion);
        publishedAt = Instant.now();
    }

    @Then("within {int} seconds the spoke's OPA answers with the new policy version")
    public void arrives(int seconds) {
        String url = world.checks().opaUrl() + "/v1/data/dive/version/version";
        CheckSteps.eventually(Duration.ofSeconds(seconds), () -> {
            try {
                var r = io.restassured.RestAssured.get(url);
                String v = r.jsonPath().getString("result");
                return new Evidence(publishedVersion.equals(v), "GET " + url, "result " + v);
            } catch (Exception e) {
                return Evidence.failed("GET " + url, e.getMessage());
            }
        });
        propagation = Duration.between(publishedAt, Instant.now());
    }

    @Then("the time from publication to the spoke's OPA is printed")
    public void printTime() {
        String line = String.format("policy change hub → spoke OPA in %.1f s (OPAL polling interval 2 s)", propagation.toMillis() / 1000.0);
        System.out.println("[dive-verify] " + line);
        // a measurement for the reader; the bound is the step before ("within N seconds")
        scenario.attach(line, "text/plain", "policy distribution time");
    }

    @Given("spoke {string} holds an OPAL client token that the hub did not issue")
    public void wrongToken(String code) {
        var spoke = world.instances.get(code);
        spoke.env().put("a token the hub never issued (negative scenario)", Map.of("SPOKE_OPAL_TOKEN", "not-issued-by-the-hub-" + UUID.randomUUID()));
        world.variant = spoke.composeFile();
        world.variantName = "wrong-opal-token";
    }
}
