package dive.verify.deploy;

import dive.verify.report.Secrets;

import java.util.List;

/**
 * A deployment did not come up. Every failing service of the stage is listed,
 * not just the first: first as one table (stage, service, reason, last log
 * line), then each with its evidence.
 */
public class DeploymentFailure extends RuntimeException {
    private final List<ServiceFailure> failures;

    public DeploymentFailure(String deployment, String summary, List<ServiceFailure> failures) {
        super(Secrets.redact(format(deployment, summary, failures)));
        this.failures = List.copyOf(failures);
    }

    public List<ServiceFailure> failures() { return failures; }

    /** The failures as a fixed-width text table, one row per service. */
    public String table() { return FailureTable.text(failures); }

    /** The failures as CSV (the report shows a text/csv attachment as a table). */
    public String csv() { return FailureTable.csv(failures); }

    private static String format(String deployment, String summary, List<ServiceFailure> failures) {
        StringBuilder sb = new StringBuilder("Deployment ").append(deployment).append(" failed: ").append(summary).append('\n');
        if (failures.size() > 1) sb.append(FailureTable.text(failures)).append('\n');
        failures.forEach(f -> sb.append(f.describe()));
        return sb.toString();
    }
}
