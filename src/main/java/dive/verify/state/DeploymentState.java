package dive.verify.state;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an instance's deployment has reached, as recorded in its state file:
 * the stages that completed (each with what it ran: container, image id and
 * a hash of the service's resolved definition), and how the last attempt
 * ended. A later deployment reads it to resume instead of starting over.
 *
 * @param status       deploying, complete, failed, interrupted or removed
 * @param stages       completed stages in start order (empty once removed)
 * @param interruption the last interruption, kept after teardown so it can be read afterwards
 * @param failures     every failed service of the last failed stage
 * @param resumedAt    the stage the last deployment resumed at (0: deployed from scratch)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentState(
        String project,
        String template,
        String templateHash,
        String runId,
        String status,
        String updatedAt,
        boolean kept,
        int resumedAt,
        List<StageRecord> stages,
        Interruption interruption,
        List<FailureRecord> failures) {

    public static final String DEPLOYING = "deploying", COMPLETE = "complete", FAILED = "failed",
            INTERRUPTED = "interrupted", REMOVED = "removed";

    public DeploymentState {
        stages = stages == null ? List.of() : List.copyOf(stages);
        failures = failures == null ? List.of() : List.copyOf(failures);
    }

    /** One completed stage: what each of its services ran. */
    public record StageRecord(int stage, String completedAt, Map<String, ServiceRecord> services) {}

    /**
     * @param specHash SHA-256 of the service's resolved definition (template and .env): any change means "recreate"
     * @param imageId  the id of the image the container was created from
     */
    public record ServiceRecord(String container, String containerId, String image, String imageId, String specHash) {}

    /**
     * @param stage    the stage being deployed when the signal came (0: after deployment, while it was being verified)
     * @param services the services of that stage that were not ready yet
     * @param action   "kept" (what ran was left running) or "removed"
     */
    public record Interruption(String signal, int stage, List<String> services, String at, String action) {}

    public record FailureRecord(int stage, String service, String reason) {}

    public Optional<StageRecord> stage(int n) {
        return stages.stream().filter(s -> s.stage() == n).findFirst();
    }

    public DeploymentState withStatus(String newStatus, String now) {
        return new DeploymentState(project, template, templateHash, runId, newStatus, now, kept, resumedAt, stages, interruption, failures);
    }

    public DeploymentState withStage(StageRecord record, String now) {
        List<StageRecord> s = new ArrayList<>(stages);
        s.removeIf(r -> r.stage() == record.stage());
        s.add(record);
        return new DeploymentState(project, template, templateHash, runId, status, now, kept, resumedAt, s, interruption, failures);
    }

    public DeploymentState withInterruption(Interruption i, boolean keptNow, String now) {
        return new DeploymentState(project, template, templateHash, runId, INTERRUPTED, now, keptNow, resumedAt, stages, i, failures);
    }

    public DeploymentState withFailures(List<FailureRecord> f, boolean keptNow, String now) {
        return new DeploymentState(project, template, templateHash, runId, FAILED, now, keptNow, resumedAt, stages, interruption, f);
    }

    /** Everything was torn down: no stage runs any more; how the last attempt ended stays readable. */
    public DeploymentState removed(String now) {
        String s = INTERRUPTED.equals(status) || FAILED.equals(status) ? status : REMOVED;
        return new DeploymentState(project, template, templateHash, runId, s, now, false, resumedAt, List.of(), interruption, failures);
    }
}
