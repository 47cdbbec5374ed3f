package dive.verify.deploy;

import dive.verify.state.DeploymentState;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link DeploymentPlanner}'s resume rule. What an earlier deployment of
 * the same instance left that this one can take over: the stages its state file records as complete, each re-checked
 * quickly against the plan (same resolved definition, same image) and against
 * the engine (the container exists, runs and is healthy). The first stage that
 * fails a check is where deployment resumes; it and every later stage are
 * deployed again, because later stages are built on earlier ones.
 */
final class Resume {
    /** A re-checked container still "starting" whose own health command does not pass yet (e.g. its engine was restarted) gets this long to turn healthy. */
    static final Duration QUICK_CHECK = Duration.ofSeconds(15);

    record Adopted(ServiceSpec spec, String containerId, DeploymentState.ServiceRecord record) {}

    private final int resumeAt;
    private final List<DeploymentState.StageRecord> stages;
    private final Map<String, Adopted> services;
    private final String why;

    private Resume(int resumeAt, List<DeploymentState.StageRecord> stages, Map<String, Adopted> services, String why) {
        this.resumeAt = resumeAt;
        this.stages = stages;
        this.services = services;
        this.why = why;
    }

    /** The first stage to deploy; 0 when every stage was taken over (nothing to deploy). */
    int resumeAt() { return resumeAt; }

    List<DeploymentState.StageRecord> adoptedStages() { return stages; }

    Map<String, Adopted> adopted() { return services; }

    /** Why deployment starts where it does, in words. */
    String why() { return why; }

    boolean complete() { return resumeAt == 0; }

    static Resume fromScratch(DeploymentPlan plan, String why) {
        return new Resume(plan.stages().isEmpty() ? 0 : plan.stages().get(0), List.of(), Map.of(), why);
    }

    /**
     * Decides from the plan, the recorded state and what {@code engine} reports; it only reads the engine.
     *
     * @param selected the services this deployment deploys; stages without any of them are skipped
     */
    static Resume plan(DeploymentPlan plan, Set<String> selected, DeploymentState previous, EngineView engine) {
        return plan(plan, selected, previous, engine, QUICK_CHECK);
    }

    /** @param quickCheck how long a container still "starting" gets to turn healthy */
    static Resume plan(DeploymentPlan plan, Set<String> selected, DeploymentState previous, EngineView engine, Duration quickCheck) {
        if (previous == null) return fromScratch(plan, "no earlier deployment is recorded");
        if (!plan.project().equals(previous.project())) {
            return fromScratch(plan, "the recorded deployment is of " + previous.project() + ", not " + plan.project());
        }
        if (previous.stages().isEmpty()) return fromScratch(plan, "no earlier deployment is running (it was " + previous.status() + ")");
        List<DeploymentState.StageRecord> adoptedStages = new ArrayList<>();
        Map<String, Adopted> adopted = new LinkedHashMap<>();
        Instant quickDeadline = Instant.now().plus(quickCheck);
        for (int stage : plan.stages()) {
            List<ServiceSpec> services = plan.servicesOfStage(stage).stream().filter(s -> selected.contains(s.key())).toList();
            if (services.isEmpty()) continue;
            var record = previous.stage(stage);
            if (record.isEmpty()) {
                return new Resume(stage, adoptedStages, adopted, "stage " + stage + " did not complete earlier ("
                        + describe(previous) + ")");
            }
            Map<String, Adopted> stageAdopted = new LinkedHashMap<>();
            for (ServiceSpec s : services) {
                var r = record.get().services().get(s.key());
                String problem = r == null ? s.key() + " was not part of the recorded stage " + stage : check(s, r, engine, quickDeadline);
                if (problem != null) return new Resume(stage, adoptedStages, adopted, problem);
                stageAdopted.put(s.key(), new Adopted(s, r.containerId(), r));
            }
            adoptedStages.add(record.get());
            adopted.putAll(stageAdopted);
        }
        return new Resume(0, adoptedStages, adopted, "every stage is running and unchanged");
    }

    /** @return null when the recorded container can be taken over, otherwise why not */
    private static String check(ServiceSpec s, DeploymentState.ServiceRecord r, EngineView engine, Instant quickDeadline) {
        if (!specHash(s).equals(r.specHash())) return s.key() + "'s definition changed (template or .env)";
        var present = engine.imageId(s.image());
        if (present.isEmpty()) return "image " + s.image() + " of " + s.key() + " is not present";
        String imageId = present.get();
        if (!imageId.equals(r.imageId())) return "image " + s.image() + " of " + s.key() + " changed since it was deployed";
        var found = engine.container(r.containerId());
        // Started just before (an interrupted deployment's last stage): the engine still says "starting" until its first
        // check, one interval after the start. The service's own command decides, as when it was deployed; the
        // engine's word is watched afterwards like a new service's (Deployment.watchEngineAgreement).
        boolean ownCommandPassed = found.isPresent() && found.get().starting() && engine.healthCommandPasses(r.containerId(), s);
        if (!ownCommandPassed) found = engine.settled(r.containerId(), quickDeadline);
        if (found.isEmpty()) return "container " + r.container() + " of " + s.key() + " no longer exists";
        EngineView.ContainerView c = found.get();
        if (!imageId.equals(c.imageId())) return "container " + r.container() + " runs another image than " + s.image();
        if (s.oneShot() && !c.running()) {
            return Long.valueOf(0).equals(c.exitCode()) ? null : s.key() + " exited with code " + c.exitCode();
        }
        if (!c.running()) return s.key() + " is not running (" + c.state() + ")";
        if (s.healthcheck() == null || ownCommandPassed || "healthy".equals(c.health())) return null;
        return s.key() + " is " + c.health();
    }

    private static String describe(DeploymentState s) {
        var i = s.interruption();
        if (DeploymentState.INTERRUPTED.equals(s.status()) && i != null) {
            return "interrupted by " + i.signal() + (i.stage() > 0 ? " during stage " + i.stage() : "");
        }
        return s.status();
    }

    /** Fingerprint of a service's resolved definition; it covers the .env values too, so it is hashed, never stored. */
    static String specHash(ServiceSpec s) {
        String text = s.toString();
        // a service that uses none of the keys honoured since (profiles, extra_hosts, init, capabilities, limits) keeps the
        // fingerprint it had before them, so a deployment made before still resumes
        String later = ", profiles=[], host=" + dive.verify.template.HostSettings.NONE + "]";
        if (text.endsWith(later)) text = text.substring(0, text.length() - later.length()) + "]";
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Fingerprint of the compose file a deployment was made from. */
    static String fileHash(java.nio.file.Path file) {
        try {
            return sha256(java.nio.file.Files.readAllBytes(file));
        } catch (java.io.IOException e) {
            return "unreadable";
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
