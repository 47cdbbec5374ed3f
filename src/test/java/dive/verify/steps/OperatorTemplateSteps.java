package dive.verify.steps;

import dive.verify.deploy.DeployOptions;
import dive.verify.instance.OperatorCompose;
import dive.verify.template.ComposeLoader;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.TemplateException;
import dive.verify.template.TemplateProblems;
import io.cucumber.datatable.DataTable;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An operator's own compose file: all of its problems at once, then deployed once fixed. */
public final class OperatorTemplateSteps {
    private static final Path FILES = Harness.REPO.resolve("src/test/resources/operator");
    private final World world;
    private Path file;
    private DeploymentPlan plan;
    private TemplateException refusal;

    public OperatorTemplateSteps(World world) { this.world = world; }

    @Given("the operator's compose file {string} is placed in spoke {string}")
    public void place(String name, String code) {
        var instance = world.instances.get(code);
        if (instance == null) throw new IllegalStateException("spoke " + code + " was not initialised by an earlier step");
        file = OperatorCompose.place(instance, Harness.TEMPLATES, Harness.PROFILE, FILES.resolve(name));
    }

    @When("the harness loads the operator's file")
    public void load() {
        plan = null;
        refusal = null;
        try {
            plan = world.instance().plan(file);
        } catch (TemplateException e) {
            refusal = e;
        }
    }

    @Then("it is refused, with every problem listed at once:")
    public void refused(DataTable expected) {
        assertThat(refusal).as("the operator's flawed file should have been refused, but it loaded").isNotNull();
        List<TemplateException> problems = refusal instanceof TemplateProblems all ? all.problems() : List.of(refusal);
        System.out.println("[dive-verify] the operator's file was refused:\n" + refusal.getMessage());
        List<Map<String, String>> rows = expected.asMaps();
        assertThat(problems).as("problems reported in one run: %s", refusal.getMessage()).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            TemplateException p = problems.get(i);
            assertThat(p.line()).as("line of problem %d: %s", i + 1, p.getMessage()).isEqualTo(Integer.parseInt(rows.get(i).get("line")));
            assertThat(p.getMessage()).as("problem %d", i + 1).contains(rows.get(i).get("says"));
        }
    }

    @Then("the operator's file loads, and its services {kinds} are deployed and healthy")
    public void deployed(List<String> kinds) {
        assertThat(refusal).as("the fixed file should load").isNull();
        List<String> keys = kinds.stream().map(world.instance()::service).toList();
        assertThat(plan.services().keySet()).as("services of the operator's file").containsExactlyInAnyOrderElementsOf(keys);
        world.deployment = Harness.deploy(world.instance, "operator:" + file.getFileName(), plan, DeployOptions.all(), false);
        world.checks().allServicesExistAndHealthy(keys).orFail();
    }
}
