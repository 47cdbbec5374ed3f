package dive.verify.deploy;

import com.github.dockerjava.api.exception.NotFoundException;
import dive.verify.deploy.EngineView.ContainerView;
import dive.verify.deploy.EngineView.VolumeView;
import dive.verify.state.DeploymentState;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries out the planner's actions against the engine, one at a time: remove
 * a leftover, roll back a volume, create the networks and a stage's volumes,
 * take over a running container, start one service and wait until it is
 * ready. What exists is added to the {@link Deployment} as soon as it exists,
 * so a failure or a signal at any point removes it. Decides nothing: when a
 * service may start is the planner's, and the order the deployer's.
 */
final class DeployExecutor {
    private final Deployment deployment;
    private final Map<String, String> labels;

    /** @param labels the run's labels, put on everything created, so teardown and the sweep find it */
    DeployExecutor(Deployment deployment, Map<String, String> labels) {
        this.deployment = deployment;
        this.labels = Map.copyOf(labels);
    }

    private DeploymentPlan plan() { return deployment.plan(); }

    /** A container an earlier run left (its name would clash); done before the deployment exists, as nothing of it is created yet. */
    static void removeLeftover(ContainerView c, Progress progress) {
        progress.say("removing " + c.name() + ", left by run " + c.labels().get(RunContext.RUN_LABEL) + " (" + c.state() + ")");
        try {
            Docker.client().removeContainerCmd(c.id()).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException gone) {
            // already removed
        }
    }

    /** A volume of a stage deployed again: rolled back with it, so the stage starts from nothing. */
    static void rollBack(VolumeView v, Progress progress) {
        try {
            Docker.client().removeVolumeCmd(v.name()).exec();
            progress.say("removed volume " + v.name() + " of stage " + v.labels().get(RunContext.STAGE_LABEL) + " (deployed again)");
        } catch (NotFoundException gone) {
            // already removed
        } catch (RuntimeException inUse) {
            progress.say("volume " + v.name() + " is still in use; it is reused as it is");
        }
    }

    /** The networks the selected services use; an external one must exist already. */
    void createNetworks(Set<String> selected) {
        DeploymentPlan plan = plan();
        Set<String> used = new LinkedHashSet<>();
        for (String s : selected) used.addAll(plan.service(s).networks().keySet());
        for (String key : used) {
            DeploymentPlan.NetworkSpec spec = plan.networks().get(key);
            // an external network is looked up under its own name, never a project-prefixed one
            String name = spec != null ? spec.engineName(plan.project()) : plan.project() + "_" + key;
            if (spec != null && spec.external()) {
                List<com.github.dockerjava.api.model.Network> found = Docker.client().listNetworksCmd().withNameFilter(name).exec();
                if (found.stream().noneMatch(n -> n.getName().equals(name))) {
                    throw new DeploymentFailure(plan.project(), "external network " + name + " (network " + key + ") does not exist; "
                            + "create it first (or deploy the hub, which creates it)", List.of());
                }
            }
            Map<String, String> withOwn = new LinkedHashMap<>(spec == null ? Map.of() : spec.labels());
            withOwn.putAll(labels); // ours last: teardown and the sweep find the network by them
            deployment.networks().put(key, NamedNetwork.getOrCreate(name, spec != null && spec.internal(), withOwn));
        }
    }

    /** A stage's named volumes, created when the stage starts and labelled with it, so rolling the stage back removes them too. */
    void createVolumes(int stage, List<ServiceSpec> services) {
        for (ServiceSpec s : services) {
            for (DeploymentPlan.VolumeSpec spec : newVolumes(s)) {
                if (spec.external()) continue; // made elsewhere; preflight saw that it exists
                String name = spec.engineName(plan().project());
                Map<String, String> withStage = new LinkedHashMap<>(spec.labels());
                withStage.putAll(labels); // ours last: teardown and the sweep find the volume by them
                withStage.put(RunContext.STAGE_LABEL, String.valueOf(stage));
                Docker.client().createVolumeCmd().withName(name).withLabels(withStage).exec();
                deployment.createdVolume(name);
            }
        }
    }

    /** Takes over a container an earlier deployment made and the planner re-checked, with its named volumes. */
    void adopt(Resume.Adopted a) {
        ServiceSpec s = a.spec();
        deployment.add(new AdoptedService(s, a.containerId(), logOf(s)));
        for (DeploymentPlan.VolumeSpec spec : newVolumes(s)) {
            if (!spec.external()) deployment.createdVolume(spec.engineName(plan().project())); // ours now: removed at teardown
        }
    }

    /** The named volumes of {@code s} the deployment does not know yet, now known under their engine names. */
    private List<DeploymentPlan.VolumeSpec> newVolumes(ServiceSpec s) {
        List<DeploymentPlan.VolumeSpec> out = new java.util.ArrayList<>();
        for (var v : s.volumes()) {
            if (!v.named() || deployment.volumeMap().containsKey(v.source())) continue;
            DeploymentPlan.VolumeSpec spec = plan().volumes().get(v.source());
            deployment.volumeMap().put(v.source(), spec.engineName(plan().project()));
            out.add(spec);
        }
        return out;
    }

    /**
     * Creates and starts one service, runs its post_start hooks and waits until it is ready, by {@code deadline}
     * ({@code budget} says in words which budget that is, for the failure). Returns null when it is ready, else why not.
     */
    ServiceFailure start(ServiceSpec s, Instant deadline, String budget, Runnable onStarted) {
        ContainerLog log = logOf(s);
        String fatal = s.labels().get(ServiceSpec.FATAL_LOG_LABEL);
        if (fatal != null) log.failOn(java.util.regex.Pattern.compile(fatal));
        if (!deployment.beginStart()) {
            return new ServiceFailure(s.key(), s.stage(), "not started: the run was interrupted", List.of(), null);
        }
        ServiceContainer c;
        try {
            Map<String, String> withStage = new LinkedHashMap<>(labels);
            withStage.put(RunContext.STAGE_LABEL, String.valueOf(s.stage()));
            c = new ServiceContainer(s, deployment.networks(), deployment.volumeMap(), withStage, log);
            deployment.add(c);
            c.start();
        } catch (RuntimeException e) {
            return new ServiceFailure(s.key(), s.stage(), "could not be started: " + rootMessage(e), log.tail(ReadinessWait.TAIL), null);
        } finally {
            deployment.endStart();
        }
        onStarted.run();
        for (List<String> hook : s.postStart()) {
            ServiceFailure f = runHook(c, hook, deadline);
            if (f != null) return f;
        }
        return ReadinessWait.await(c, deadline, budget, () -> Thread.currentThread().isInterrupted() || SignalGuard.requested(),
                plan().healthyByImage().contains(s.key()));
    }

    /** What the checkpoint records of a ready service: its container, the image it runs, its definition's fingerprint. */
    DeploymentState.ServiceRecord recordOf(ServiceSpec s) {
        String id = deployment.containerId(s.key());
        var inspect = Docker.client().inspectContainerCmd(id).exec();
        String name = inspect.getName().replaceFirst("^/", "");
        return new DeploymentState.ServiceRecord(name, id, s.image(), inspect.getImageId(), Resume.specHash(s));
    }

    /** A compose post_start hook; retried until it succeeds or the budget ends (the service may still be booting). */
    private static ServiceFailure runHook(ServiceContainer c, List<String> hook, Instant deadline) {
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                var r = c.execInContainer(hook.toArray(String[]::new));
                if (r.getExitCode() == 0) return null;
                last = "exit " + r.getExitCode() + ": " + (r.getStdout() + r.getStderr()).strip();
                if (!c.isRunning()) break;
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                last = rootMessage(e);
                if (!c.isRunning()) break;
            }
        }
        return ReadinessWait.failure(c, "post_start hook failed: " + String.join(" ", hook).replaceAll("\\s+", " ")
                + " → " + dive.verify.report.Secrets.redact(last), null);
    }

    private ContainerLog logOf(ServiceSpec s) {
        String file = (s.containerName() != null ? s.containerName() : s.key()) + ".log";
        return new ContainerLog(s.key(), RunContext.current().logDir().resolve(deployment.name()).resolve(file));
    }

    /** A service whose start threw before it had a container to show: the engine refused it, or the thread failed. */
    static ServiceFailure couldNotStart(ServiceSpec s, RuntimeException e) {
        return new ServiceFailure(s.key(), s.stage(), "could not be started: " + rootMessage(e), List.of(), null);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return dive.verify.report.Secrets.redact(m);
    }
}
