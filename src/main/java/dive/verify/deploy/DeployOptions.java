package dive.verify.deploy;

import dive.verify.template.Timeouts;

import java.nio.file.Path;
import java.util.Set;

/**
 * @param onlyServices deploy just these services (null = all); the others are not expected to exist
 * @param stateDir     where the deployment keeps its state file (the instance directory); null keeps none,
 *                     so nothing can be resumed
 * @param timeouts     budgets from an operator's properties file, over the template's labels and the contract
 * @param mode         what to do with an earlier deployment recorded in the state file
 */
public record DeployOptions(Set<String> onlyServices, Path stateDir, Timeouts timeouts, Mode mode) {

    public enum Mode {
        /** Resume: re-check the stages that completed earlier, keep what is still healthy and unchanged, deploy the rest. */
        RESUME,
        /** Verify an already running deployment without creating anything; fail if it is not complete and healthy. */
        REUSE,
        /** Ignore earlier state: remove leftovers of this deployment and deploy every stage. */
        FRESH
    }

    public DeployOptions {
        if (timeouts == null) timeouts = Timeouts.none();
        if (mode == null) mode = Mode.RESUME;
    }

    public static DeployOptions all() { return new DeployOptions(null, null, null, Mode.RESUME); }

    public static DeployOptions only(Set<String> services) { return new DeployOptions(services, null, null, Mode.RESUME); }

    public DeployOptions withState(Path dir) { return new DeployOptions(onlyServices, dir, timeouts, mode); }

    public DeployOptions withTimeouts(Timeouts t) { return new DeployOptions(onlyServices, stateDir, t, mode); }

    public DeployOptions withMode(Mode m) { return new DeployOptions(onlyServices, stateDir, timeouts, m); }
}
