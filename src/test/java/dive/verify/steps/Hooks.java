package dive.verify.steps;

import dive.verify.deploy.ContainerLog;
import dive.verify.deploy.Engine;
import dive.verify.deploy.RunContext;
import dive.verify.deploy.Sweeper;
import dive.verify.report.Secrets;
import io.cucumber.java.After;
import io.cucumber.java.AfterAll;
import io.cucumber.java.Before;
import io.cucumber.java.BeforeAll;
import io.cucumber.java.Scenario;

import java.nio.charset.StandardCharsets;

public final class Hooks {
    private final World world;

    public Hooks(World world) { this.world = world; }

    @BeforeAll
    public static void engineAndSweep() {
        // no HTTP call of a check may hang the run: connect within 5 s, answer within 30 s
        io.restassured.RestAssured.config = io.restassured.config.RestAssuredConfig.config().httpClient(
                io.restassured.config.HttpClientConfig.httpClientConfig()
                        .setParam("http.connection.timeout", 5000).setParam("http.socket.timeout", 30000));
        MachineLoad.markStart();
        String engine = Engine.version(); // fails every scenario with a clear message when there is no engine
        dive.verify.report.ReportEnvironment.write(java.nio.file.Path.of(System.getProperty("allure.results.directory", "reports/allure-results")),
                java.util.Map.of("docker.engine", engine,
                        "image.profile", Harness.PROFILE, "run.id", RunContext.current().runId()));
        Sweeper.Swept s = Sweeper.sweepOtherRuns();
        if (s.total() > 0) {
            System.out.println("[dive-verify] swept leftovers of earlier runs: " + s.containers() + " containers, "
                    + s.networks() + " networks, " + s.volumes() + " volumes");
        }
        System.out.println("[dive-verify] run " + RunContext.current().runId() + ", logs in " + RunContext.current().logDir());
    }

    /** Attach mode runs only the scenarios that read a deployment; the others are named as not applicable, never passed. */
    @Before(order = 0)
    public void applicableInAttachMode(Scenario scenario) {
        if (AttachTarget.ENABLED && !scenario.getSourceTagNames().contains("@attachable")) {
            String why = "not applicable in attach mode: \"" + scenario.getName() + "\" deploys or changes a deployment itself";
            System.out.println("[dive-verify] " + why);
            throw new org.opentest4j.TestAbortedException(why);
        }
    }

    @After
    public void attachEvidence(Scenario scenario) {
        // for each deployment the scenario used: what was deployed, how long each part took, which images
        java.util.Set<dive.verify.deploy.Deployment> used = new java.util.LinkedHashSet<>();
        if (world.hubDeployment != null) used.add(world.hubDeployment);
        if (world.deployment != null) used.add(world.deployment);
        used.addAll(world.deployments.values());
        for (var d : used) {
            scenario.attach(dive.verify.deploy.DeploymentReport.describe(d), "text/plain", "deployment " + d.name() + ": timings and images");
            try {
                String rendered = java.nio.file.Files.readString(d.plan().source());
                scenario.attach(Secrets.redact(rendered), "text/plain", "deployment " + d.name() + ": rendered template");
            } catch (java.io.IOException e) {
                scenario.log("rendered template of " + d.name() + " unreadable: " + e.getMessage());
            }
        }
        if (world.deployment != null) {
            if (scenario.isFailed()) {
                // the last 200 lines of every container of the deployment, with its state and health output
                world.deployment.logs().forEach((service, log) -> attach(scenario, service, log));
                scenario.attach(dive.verify.deploy.DeploymentReport.health(world.deployment), "text/plain", "container states and health checks");
            }
            if (world.deployment.attachedProject() == null && !Harness.isReusable(world.deployment)) {
                Harness.release(world.instance.code().upper());
            }
        }
        if (world.deployFailure instanceof dive.verify.deploy.DeploymentFailure f && !f.failures().isEmpty()) {
            // every failed service of the stage in one table, whether the scenario expected the failure or not
            scenario.attach(f.csv().getBytes(StandardCharsets.UTF_8), "text/csv", "deployment failures (table)");
        }
        if (world.deployFailure != null && scenario.isFailed()) {
            scenario.attach(Secrets.redact(world.deployFailure.getMessage()).getBytes(StandardCharsets.UTF_8), "text/plain", "deployment failure");
        }

    }

    /** Last of the scenario's hooks (After hooks run from high to low order), whatever happened before. */
    @After(order = 0)
    public void cleanups(Scenario scenario) {
        for (var p : world.processes) {
            p.stop();
            scenario.attach(p.output().getBytes(StandardCharsets.UTF_8), "text/plain", "output of harness process " + p.describe());
        }
        for (Runnable r : world.cleanups) {
            try {
                r.run();
            } catch (RuntimeException e) {
                scenario.log("cleanup failed: " + Secrets.redact(String.valueOf(e.getMessage())));
            }
        }
    }

    private static void attach(Scenario scenario, String service, ContainerLog log) {
        log.flush();
        String tail = String.join("\n", log.tail(200));
        scenario.attach(tail.getBytes(StandardCharsets.UTF_8), "text/plain", "log " + service + " (last 200 lines)");
    }

    @AfterAll
    public static void teardown() {
        String keycloak = KeycloakStarts.summary();
        if (!keycloak.isEmpty()) System.out.println(keycloak);
        String load = MachineLoad.summary();
        if (!load.isEmpty()) System.out.println(load);
        try {
            // the tokens and codes this run was issued, for the leak scan of the finished report
            Secrets.writeFor(RunContext.current().workDir().resolve(Secrets.RUNTIME_FILE));
        } catch (java.io.IOException e) {
            System.out.println("[dive-verify] could not leave the run's issued tokens for the leak scan: " + e.getMessage());
        }
        if (RunContext.current().keep() == RunContext.Keep.NEVER) Harness.releaseAll();
        else System.out.println("[dive-verify] keeping deployments (dive.keep=" + RunContext.current().keep() + "); remove them with ./dive-verify clean");
    }
}
