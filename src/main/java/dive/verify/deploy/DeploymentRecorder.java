package dive.verify.deploy;

import dive.verify.state.DeploymentState;
import dive.verify.template.ServiceSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns what happens during a deployment into what people and later runs read:
 * the progress lines, the timings of the report and the bench, and the
 * checkpoints of the state file (a stage is recorded once it is complete, a
 * failure with every failed service). It decides nothing and changes nothing
 * in the engine.
 */
final class DeploymentRecorder {
    private final Deployment deployment;
    private final Progress progress;
    private final List<Integer> stages;
    private final boolean keep;

    /**
     * @param stages every stage of the plan, in order (progress counts "stage 2 of 5" over them all)
     * @param keep   whether a failed deployment is kept (recorded with its failures)
     */
    DeploymentRecorder(Deployment deployment, Progress progress, List<Integer> stages, boolean keep) {
        this.deployment = deployment;
        this.progress = progress;
        this.stages = stages;
        this.keep = keep;
    }

    Progress progress() { return progress; }

    void say(String line) { progress.say(line); }

    /** What was taken over from the earlier deployment, or why nothing was. */
    void adopted(Resume resume) {
        if (resume.adopted().isEmpty()) {
            if (resume.resumeAt() != 0 && !resume.why().startsWith("no earlier")) progress.say("deploying every stage: " + resume.why());
            return;
        }
        for (var a : resume.adopted().values()) {
            deployment.timing(new Timing(a.spec().key(), a.spec().stage(), Duration.ZERO, "re-checked, reused"));
        }
        List<Integer> reused = resume.adoptedStages().stream().map(DeploymentState.StageRecord::stage).toList();
        progress.say("stages " + reused + " are running, healthy and unchanged: reused (" + resume.adopted().size() + " containers re-checked)"
                + (resume.complete() ? "; nothing to deploy" : "; resuming at stage " + resume.resumeAt() + ", because " + resume.why()));
    }

    void stageStarting(int stage, List<ServiceSpec> services) {
        progress.say(stageName(stage) + ": starting " + services.stream().map(ServiceSpec::key).collect(Collectors.joining(", ")));
    }

    /**
     * A stage is complete (and every earlier one): its timing, its checkpoint with each service's container as
     * {@code recordOf} reads it from the engine, the progress line.
     */
    void stageComplete(int stage, List<ServiceSpec> services, Duration took, Function<ServiceSpec, DeploymentState.ServiceRecord> recordOf) {
        deployment.timing(new Timing("stage " + stage, stage, took, "ready"));
        if (!services.isEmpty()) checkpointStage(stage, services, recordOf);
        progress.say(stageName(stage) + " ready in " + String.format("%.1f s", took.toMillis() / 1000.0));
    }

    /** Records {@code stage} as complete with what its services run now (a later resume compares against it). */
    void checkpointStage(int stage, List<ServiceSpec> services, Function<ServiceSpec, DeploymentState.ServiceRecord> recordOf) {
        Map<String, DeploymentState.ServiceRecord> records = new LinkedHashMap<>();
        for (ServiceSpec s : services) records.put(s.key(), recordOf.apply(s));
        var completed = new DeploymentState.StageRecord(stage, Instant.now().toString(), records);
        deployment.checkpoint(st -> st.withStage(completed, Instant.now().toString()));
    }

    /** Where an interruption now would be recorded: the lowest incomplete stage and its services not ready (0: all complete). */
    void lowestIncomplete(int stage, List<String> notReady) {
        if (stage == 0) deployment.stageDone();
        else deployment.stageStarting(stage, notReady);
    }

    void waits(ServiceSpec s, Map<String, String> waits) {
        if (waits.isEmpty()) return;
        progress.say(String.format("%-22s waits for %s", s.key(), waits.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().replace("service_", "").replace('_', ' ') + ")")
                .collect(Collectors.joining(", "))));
    }

    /** A service's own time from its start to ready (or to its failure). */
    void serviceDone(ServiceSpec s, Duration took, ServiceFailure failure) {
        deployment.timing(new Timing(s.key(), s.stage(), took, failure == null ? "ready" : "FAILED"));
        String outcome = failure != null ? "FAILED" : s.oneShot() ? "done" : s.healthcheck() != null ? "healthy" : "running";
        progress.say(String.format("%-22s %s in %.1f s", s.key(), outcome, took.toMillis() / 1000.0));
        if (failure == null) deployment.serviceReady(s.key());
    }

    /** Services of {@code stage} (and perhaps later ones) did not come up: recorded, and the failure to throw. */
    DeploymentFailure stageFailed(int stage, Instant began, List<ServiceFailure> failures) {
        long took = began == null ? 0 : Duration.between(began, Instant.now()).toSeconds();
        deployment.timing(new Timing("stage " + stage, stage, Duration.ofSeconds(took), failures.size() + " failed"));
        progress.say(stageName(stage) + " FAILED after " + took + " s");
        long ofStage = failures.stream().filter(f -> f.stage() == stage).count();
        DeploymentFailure failure = new DeploymentFailure(deployment.name(), ofStage + " service(s) of stage " + stage + " did not come up"
                + (ofStage < failures.size() ? " (" + (failures.size() - ofStage) + " of later stages neither)" : ""), failures);
        progress.say("failures of stage " + stage + ":\n" + failure.table());
        checkpointFailures(failures);
        return failure;
    }

    /** Every stage is complete: the overall timing and the state file says so. */
    void complete(Duration took) {
        deployment.timing(new Timing("all stages", 0, took, "ready"));
        deployment.checkpoint(st -> st.withStatus(DeploymentState.COMPLETE, Instant.now().toString()));
        List<String> missing = deployment.missingServices();
        if (!missing.isEmpty()) progress.say("WARNING: declared in the template but never created: " + String.join(", ", missing));
    }

    private void checkpointFailures(List<ServiceFailure> failures) {
        String at = Instant.now().toString();
        deployment.checkpoint(st -> st.withFailures(failures.stream()
                .map(f -> new DeploymentState.FailureRecord(f.stage(), f.service(), f.reason())).toList(), keep, at));
    }

    private String stageName(int stage) {
        return "stage " + (stages.indexOf(stage) + 1) + " of " + stages.size();
    }
}
