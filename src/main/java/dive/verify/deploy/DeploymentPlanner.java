package dive.verify.deploy;

import dive.verify.deploy.EngineView.ContainerView;
import dive.verify.deploy.EngineView.VolumeView;
import dive.verify.state.DeploymentState;
import dive.verify.template.DependencyOrder;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides what a deployment will do before it does anything: from the
 * template's plan, the services selected, the recorded state of the earlier
 * deployment and what the engine reports (only read, through {@link EngineView}),
 * the {@link Actions}: which containers to take over, which leftovers and
 * volumes to remove, which services to create, and when each may start. Or it
 * refuses, with every reason, before anything exists.
 *
 * <p>The deployer's three parts: this planner (a function, unit-tested against
 * a fake engine), {@link DeployExecutor} (each action against the engine), and
 * {@link DeploymentRecorder} (progress lines, timings, checkpoints).
 * {@link StagedDeployer} runs the actions in the planned order.
 */
final class DeploymentPlanner {
    private DeploymentPlanner() {}

    /**
     * One service to create, and when it may start: once each of {@code waits} (a dependency being deployed → its
     * compose condition) is met, and, for a service that declares no {@code depends_on}, once every earlier stage is
     * complete ({@code afterEarlierStages}), so a template without dependencies deploys stage by stage.
     */
    record Start(ServiceSpec service, Map<String, String> waits, boolean afterEarlierStages) {
        Start {
            waits = Map.copyOf(waits);
        }
    }

    /**
     * @param resume      what is taken over from the earlier deployment, and why deployment starts where it does
     * @param leftovers   containers of this deployment left by earlier runs and not taken over: removed first
     * @param rollBack    volumes created by a stage that is deployed again: removed with it, so the stage starts from nothing
     * @param stages      the stages to deploy, in order, each with its selected services (empty when all are taken over)
     * @param starts      every service to create, in dependency order
     * @param warnings    what the operator should know but does not stop the deployment
     */
    record Actions(Resume resume, List<ContainerView> leftovers, List<VolumeView> rollBack, Map<Integer, List<ServiceSpec>> stages,
                   List<Start> starts, List<String> warnings) {
        /** Whether every selected service is taken over, running and unchanged. */
        boolean nothingToCreate() { return starts.isEmpty(); }
    }

    /**
     * @param mode      fresh ignores the recorded state; reuse refuses unless everything can be taken over
     * @param previous  the recorded state of the earlier deployment, null when there is none
     * @param stateFile where that state is recorded, for the refusal's message (null: not recorded)
     * @throws DeploymentFailure naming every reason, when the deployment cannot go ahead; nothing was created
     */
    static Actions plan(DeploymentPlan plan, Set<String> selected, DeployOptions.Mode mode, DeploymentState previous, String stateFile,
                        EngineView engine) {
        Resume resume = mode == DeployOptions.Mode.FRESH ? Resume.fromScratch(plan, "a fresh deployment was asked for")
                : Resume.plan(plan, selected, previous, engine);
        if (mode == DeployOptions.Mode.REUSE && !resume.complete()) {
            throw new DeploymentFailure(plan.project(), "nothing was created or changed: reuse mode verifies a running deployment, "
                    + "but there is no complete, healthy one to verify: " + resume.why()
                    + (stateFile == null ? "" : " (state: " + stateFile + "); deploy it first, without reuse"), List.of());
        }
        Set<String> adoptedIds = resume.adopted().values().stream().map(Resume.Adopted::containerId).collect(Collectors.toSet());
        List<ContainerView> leftovers = engine.containersOf(plan.project()).stream().filter(c -> !adoptedIds.contains(c.id())).toList();
        Set<String> toCreate = new LinkedHashSet<>(selected);
        toCreate.removeAll(resume.adopted().keySet());
        Preflight.check(plan, toCreate, leftovers, engine);

        List<String> warnings = new ArrayList<>();
        for (ServiceSpec s : plan.unstaged()) {
            if (selected.contains(s.key())) warnings.add("service " + s.key() + " has no " + ServiceSpec.STAGE_LABEL + " label: no stage will start it");
        }
        Map<Integer, List<ServiceSpec>> stages = new LinkedHashMap<>();
        if (!resume.complete()) {
            for (int stage : plan.stages()) {
                if (stage < resume.resumeAt()) continue;
                stages.put(stage, plan.servicesOfStage(stage).stream().filter(s -> selected.contains(s.key())).toList());
            }
        }
        return new Actions(resume, leftovers, rollBack(engine.volumesOf(plan.project()), resume.resumeAt()), stages, starts(stages), warnings);
    }

    /** The volumes of the stages deployed again (at and after {@code resumeAt}); none when nothing is deployed again. */
    static List<VolumeView> rollBack(List<VolumeView> volumes, int resumeAt) {
        if (resumeAt == 0) return List.of();
        return volumes.stream().filter(v -> stageOf(v) >= resumeAt).toList();
    }

    /**
     * The services of the stages to deploy in dependency order; a dependency is waited for only when it is deployed
     * too (one taken over is ready).
     */
    static List<Start> starts(Map<Integer, List<ServiceSpec>> stages) {
        Map<String, ServiceSpec> byKey = new LinkedHashMap<>();
        Map<String, Map<String, String>> dependsOn = new LinkedHashMap<>();
        for (List<ServiceSpec> services : stages.values()) {
            for (ServiceSpec s : services) {
                byKey.put(s.key(), s);
                dependsOn.put(s.key(), s.dependsOn());
            }
        }
        List<Start> out = new ArrayList<>();
        for (DependencyOrder.Start start : DependencyOrder.order(dependsOn)) {
            ServiceSpec s = byKey.get(start.service());
            out.add(new Start(s, start.waits(), s.dependsOn().isEmpty()));
        }
        return out;
    }

    private static int stageOf(VolumeView v) {
        try {
            String stage = v.labels().get(RunContext.STAGE_LABEL);
            return stage == null ? 0 : Integer.parseInt(stage);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
