package dive.verify.deploy;

import dive.verify.report.Secrets;

import java.util.List;

/** A deployment did not come up; every failing service of the stage is listed, not just the first. */
public class DeploymentFailure extends RuntimeException {
    private final List<ServiceFailure> failures;

    public DeploymentFailure(String deployment, String summary, List<ServiceFailure> failures) {
        super(Secrets.redact(format(deployment, summary, failures)));
        this.failures = List.copyOf(failures);
    }

    public List<ServiceFailure> failures() { return failures; }

    private static String format(String deployment, String summary, List<ServiceFailure> failures) {
        StringBuilder sb = new StringBuilder("Deployment ").append(deployment).append(" failed: ").append(summary).append('\n');
        failures.forEach(f -> sb.append(f.describe()));
        return sb.toString();
    }
}
