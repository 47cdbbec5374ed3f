package dive.verify.steps;

import dive.verify.check.DeploymentChecks;
import dive.verify.deploy.Deployment;
import dive.verify.instance.Instance;

import java.nio.file.Path;

/** The state of one scenario, shared by its step classes through PicoContainer. */
public final class World {
    Instance instance;
    Instance hub;
    Deployment hubDeployment;
    final java.util.Map<String, Instance> instances = new java.util.LinkedHashMap<>();
    final java.util.Map<String, Deployment> deployments = new java.util.LinkedHashMap<>();
    Path variant;
    String variantName;
    Deployment deployment;
    RuntimeException deployFailure;
    /** Separate harness processes the scenario started, in order. */
    final java.util.List<HarnessProcess> processes = new java.util.ArrayList<>();
    /** The running, registered federation of the SSO features. */
    dive.verify.sso.Federation federation;
    /** Run at the scenario's end, whatever its outcome (e.g. removing what a killed process left). */
    final java.util.List<Runnable> cleanups = new java.util.ArrayList<>();

    Instance instance() {
        if (instance == null) throw new IllegalStateException("no instance: a step must initialise one first");
        return instance;
    }

    Deployment deployment() {
        if (deployment == null) {
            throw new IllegalStateException("nothing is deployed" + (deployFailure == null ? "" : ": the deployment failed:\n" + deployFailure.getMessage()));
        }
        return deployment;
    }

    DeploymentChecks checks() { return new DeploymentChecks(instance(), deployment()); }
}
