package dive.verify.deploy;

import dive.verify.state.DeploymentState;
import dive.verify.state.StateFile;
import dive.verify.template.DependencyOrder;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Turns a {@link DeploymentPlan} into running containers, stage by stage:
 * the services of one stage start in parallel; a stage ends when every one of
 * them is ready; a failed stage reports all its failures. Everything is
 * checked before anything is created (images present, ports free, stages
 * consistent), so bad input never leaves a half-made deployment.
 */
public final class StagedDeployer {

    public Deployment deploy(DeploymentPlan plan, DeployOptions options) {
        SignalGuard.install();
        Progress progress = new Progress(plan.project());
        Set<String> selected = Selection.of(plan, options.onlyServices());
        try {
            options.timeouts().validateAgainst(plan.services().keySet(), plan.stages());
        } catch (IllegalArgumentException e) {
            throw new DeploymentFailure(plan.project(), "nothing was created, because:\n  - " + e.getMessage(), List.of());
        }
        try (InstanceLock lock = InstanceLock.acquire(options.stateDir(), plan.project())) {
            return deployLocked(plan, options, selected, progress);
        }
    }

    private Deployment deployLocked(DeploymentPlan plan, DeployOptions options, Set<String> selected, Progress progress) {
        EngineView engine = EngineView.docker();
        StateFile stateFile = options.stateDir() == null ? null : new StateFile(options.stateDir());
        DeploymentState previous = stateFile == null ? null : stateFile.read().orElse(null);
        Resume resume = options.mode() == DeployOptions.Mode.FRESH ? Resume.fromScratch(plan, "a fresh deployment was asked for")
                : Resume.plan(plan, selected, previous, engine);
        if (options.mode() == DeployOptions.Mode.REUSE && !resume.complete()) {
            throw new DeploymentFailure(plan.project(), "nothing was created or changed: reuse mode verifies a running deployment, "
                    + "but there is no complete, healthy one to verify: " + resume.why()
                    + (stateFile == null ? "" : " (state: " + stateFile.path() + "); deploy it first, without reuse"), List.of());
        }
        Set<String> adoptedIds = resume.adopted().values().stream().map(Resume.Adopted::containerId).collect(Collectors.toSet());
        List<EngineView.ContainerView> leftovers = Resume.leftovers(engine, plan.project(), adoptedIds);
        Set<String> toCreate = new LinkedHashSet<>(selected);
        toCreate.removeAll(resume.adopted().keySet());
        Preflight.check(plan, toCreate, leftovers, engine);
        for (ServiceSpec s : plan.unstaged()) {
            if (selected.contains(s.key())) {
                progress.say("WARNING: service " + s.key() + " has no " + ServiceSpec.STAGE_LABEL + " label: no stage will start it");
            }
        }
        Resume.removeLeftovers(plan.project(), leftovers, resume.resumeAt(), progress);
        Map<String, String> labels = new LinkedHashMap<>(RunContext.current().labels(plan.project()));
        boolean keep = RunContext.current().keep() != RunContext.Keep.NEVER;

        Map<String, NamedNetwork> networks = new LinkedHashMap<>();
        Map<String, String> volumeNames = new LinkedHashMap<>();
        List<String> createdVolumes = new ArrayList<>();
        List<Integer> stages = plan.stages();
        int firstStage = stages.isEmpty() ? 0 : stages.get(0);
        String now = Instant.now().toString();
        DeploymentState initial = new DeploymentState(plan.project(), plan.source().getFileName().toString(), Resume.fileHash(plan.source()),
                RunContext.current().runId(), DeploymentState.DEPLOYING, now, keep,
                resume.resumeAt() != firstStage ? resume.resumeAt() : 0, resume.adoptedStages(), null, null);
        Deployment deployment = null;
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "deploy-" + plan.project());
            t.setDaemon(true);
            return t;
        });
        try {
            // Created first and filled as we go, so a failure or a signal at any point removes what exists.
            deployment = new Deployment(plan, networks, volumeNames, createdVolumes, selected, stateFile, initial);
            createNetworks(plan, selected, labels, networks);
            Map<String, CompletableFuture<Boolean>> ready = new ConcurrentHashMap<>();
            adopt(deployment, plan, resume, selected, volumeNames, createdVolumes, ready, progress);
            Instant overallStart = Instant.now();
            // the stages still to deploy, each with its selected services (a stage taken over from the earlier deployment is done)
            Map<Integer, List<ServiceSpec>> toDeploy = new LinkedHashMap<>();
            for (int stage : stages) {
                if (resume.resumeAt() == 0 || stage < resume.resumeAt()) continue;
                toDeploy.put(stage, plan.servicesOfStage(stage).stream().filter(s -> selected.contains(s.key())).toList());
            }
            if (toDeploy.values().stream().anyMatch(l -> !l.isEmpty())) {
                if (SignalGuard.requested()) throw interrupted(plan, toDeploy.keySet().iterator().next());
                for (var e : toDeploy.entrySet()) createVolumes(plan, e.getValue(), e.getKey(), labels, volumeNames, createdVolumes);
                final Deployment d = deployment;
                StageTracker tracker = new StageTracker(toDeploy,
                        stage -> progress.say("stage " + (stages.indexOf(stage) + 1) + " of " + stages.size() + ": starting "
                                + toDeploy.get(stage).stream().map(ServiceSpec::key).collect(Collectors.joining(", "))),
                        (stage, services, took) -> {
                            d.timing(new Timing("stage " + stage, stage, took, "ready"));
                            if (!services.isEmpty()) {
                                var completed = record(stage, services, d);
                                d.checkpoint(st -> st.withStage(completed, Instant.now().toString()));
                            }
                            progress.say("stage " + (stages.indexOf(stage) + 1) + " of " + stages.size() + " ready in "
                                    + String.format("%.1f s", took.toMillis() / 1000.0));
                        },
                        (stage, notReady) -> {
                            if (stage == 0) d.stageDone();
                            else d.stageStarting(stage, notReady);
                        });
                List<ServiceFailure> failures = runAll(deployment, tracker, networks, volumeNames, labels, ready, pool, progress, options);
                if (SignalGuard.requested()) throw interrupted(plan, tracker.lowestIncomplete());
                if (!failures.isEmpty()) {
                    int stage = failures.stream().mapToInt(ServiceFailure::stage).min().orElse(0);
                    Instant began = tracker.startedAt(stage);
                    long took = began == null ? 0 : Duration.between(began, Instant.now()).toSeconds();
                    deployment.timing(new Timing("stage " + stage, stage, Duration.ofSeconds(took), failures.size() + " failed"));
                    progress.say("stage " + (stages.indexOf(stage) + 1) + " of " + stages.size() + " FAILED after " + took + " s");
                    long ofStage = failures.stream().filter(f -> f.stage() == stage).count();
                    DeploymentFailure failure = new DeploymentFailure(plan.project(), ofStage + " service(s) of stage " + stage + " did not come up"
                            + (ofStage < failures.size() ? " (" + (failures.size() - ofStage) + " of later stages neither)" : ""), failures);
                    progress.say("failures of stage " + stage + ":\n" + failure.table());
                    String at = Instant.now().toString();
                    deployment.checkpoint(st -> st.withFailures(failures.stream()
                            .map(f -> new DeploymentState.FailureRecord(f.stage(), f.service(), f.reason())).toList(), keep, at));
                    throw failure;
                }
                deployment.stageDone();
                List<ServiceFailure> disagreed = EngineHealth.awaitAgreement(deployment,
                        toDeploy.values().stream().flatMap(List::stream).toList(), progress);
                if (!disagreed.isEmpty()) {
                    DeploymentFailure failure = new DeploymentFailure(plan.project(), disagreed.size() + " service(s) passed their health "
                            + "command, but the engine's own health check did not confirm it", disagreed);
                    progress.say("failures:\n" + failure.table());
                    String at = Instant.now().toString();
                    deployment.checkpoint(st -> st.withFailures(disagreed.stream()
                            .map(f -> new DeploymentState.FailureRecord(f.stage(), f.service(), f.reason())).toList(), keep, at));
                    throw failure;
                }
            }
            deployment.timing(new Timing("all stages", 0, Duration.between(overallStart, Instant.now()), "ready"));
            deployment.checkpoint(st -> st.withStatus(DeploymentState.COMPLETE, Instant.now().toString()));
            List<String> missing = deployment.missingServices();
            if (!missing.isEmpty()) {
                progress.say("WARNING: declared in the template but never created: " + String.join(", ", missing));
            }
            Deployment done = deployment;
            deployment = null; // handed to the caller
            return done;
        } finally {
            pool.shutdownNow();
            if (deployment != null && SignalGuard.requested()) {
                // the signal's listener records the interruption and tears down (or keeps) on its own thread
            } else if (deployment != null && !keep) {
                // Failure: nothing half-made is left behind unless the user asked to keep it.
                deployment.close();
            } else if (deployment != null) {
                System.out.println("[dive-verify] keeping the failed deployment " + plan.project() + " for inspection (dive.keep); "
                        + "deploying again resumes at its first incomplete stage");
            }
        }
    }

    private static DeploymentFailure interrupted(DeploymentPlan plan, int stage) {
        return new DeploymentFailure(plan.project(), "interrupted by " + SignalGuard.signal() + " during stage " + stage, List.of());
    }

    /** Takes over the services of the stages an earlier deployment completed, after their quick re-check. */
    private static void adopt(Deployment deployment, DeploymentPlan plan, Resume resume, Set<String> selected, Map<String, String> volumeNames,
                              List<String> createdVolumes, Map<String, CompletableFuture<Boolean>> ready, Progress progress) {
        if (resume.adopted().isEmpty()) {
            if (resume.resumeAt() != 0 && !resume.why().startsWith("no earlier")) progress.say("deploying every stage: " + resume.why());
            return;
        }
        for (var a : resume.adopted().values()) {
            ServiceSpec s = a.spec();
            ContainerLog log = new ContainerLog(s.key(), RunContext.current().logDir().resolve(deployment.name()).resolve(logName(s)));
            deployment.add(new AdoptedService(s, a.containerId(), log));
            deployment.timing(new Timing(s.key(), s.stage(), Duration.ZERO, "re-checked, reused"));
            ready.put(s.key(), CompletableFuture.completedFuture(true));
            for (var v : s.volumes()) {
                if (!v.named() || volumeNames.containsKey(v.source())) continue;
                DeploymentPlan.VolumeSpec spec = plan.volumes().get(v.source());
                String name = volumeName(plan, spec);
                volumeNames.put(v.source(), name);
                if (!spec.external()) createdVolumes.add(name); // ours now: removed at teardown with the rest
            }
        }
        List<Integer> reused = resume.adoptedStages().stream().map(DeploymentState.StageRecord::stage).toList();
        progress.say("stages " + reused + " are running, healthy and unchanged: reused (" + resume.adopted().size() + " containers re-checked)"
                + (resume.complete() ? "; nothing to deploy" : "; resuming at stage " + resume.resumeAt() + ", because " + resume.why()));
    }

    /** The checkpoint of a completed stage: each service's container, the image it runs, and its definition's fingerprint. */
    private static DeploymentState.StageRecord record(int stage, List<ServiceSpec> services, Deployment deployment) {
        Map<String, DeploymentState.ServiceRecord> out = new LinkedHashMap<>();
        for (ServiceSpec s : services) {
            String id = deployment.containerId(s.key());
            var inspect = Docker.client().inspectContainerCmd(id).exec();
            String name = inspect.getName().replaceFirst("^/", "");
            out.put(s.key(), new DeploymentState.ServiceRecord(name, id, s.image(), inspect.getImageId(), Resume.specHash(s)));
        }
        return new DeploymentState.StageRecord(stage, Instant.now().toString(), out);
    }


    /**
     * Recreates services of a running deployment from a new plan (e.g. after
     * registration wrote new tokens into .env), one after the other, each
     * waited for like at deploy time.
     */
    public void recreate(Deployment deployment, DeploymentPlan newPlan, List<String> services) {
        Progress progress = new Progress(deployment.name());
        deployment.plan(newPlan);
        Map<String, String> labels = new LinkedHashMap<>(RunContext.current().labels(newPlan.project()));
        List<ServiceFailure> failures = new ArrayList<>();
        for (String key : services) {
            ServiceSpec spec = newPlan.service(key);
            progress.say("recreating " + key + " with its new environment");
            deployment.removeContainer(key);
            Map<String, CompletableFuture<Boolean>> ready = new ConcurrentHashMap<>(), started = new ConcurrentHashMap<>();
            ready.put(key, new CompletableFuture<>());
            started.put(key, new CompletableFuture<>());
            // its dependencies run already: nothing to wait for
            ServiceFailure f = startOne(deployment, spec, null, Map.of(), deployment.networks(), deployment.volumeMap(), labels, ready, started,
                    progress, dive.verify.template.Timeouts.none(), null);
            if (f != null) failures.add(f);
        }
        if (failures.isEmpty()) {
            // ready by their own health command: the engine must agree before anyone reads its status
            failures.addAll(EngineHealth.awaitAgreement(deployment, services.stream().map(newPlan::service).toList(), progress));
        }
        if (!failures.isEmpty()) throw new DeploymentFailure(deployment.name(), "recreated services did not come up", failures);
        // the checkpoint follows: a later resume compares against what runs now
        for (int stage : services.stream().map(k -> newPlan.service(k).stage()).distinct().toList()) {
            if (deployment.state() == null || deployment.state().stage(stage).isEmpty()) continue;
            List<ServiceSpec> ofStage = newPlan.servicesOfStage(stage).stream().filter(s -> deployment.selectedServices().contains(s.key())).toList();
            var completed = record(stage, ofStage, deployment);
            deployment.checkpoint(st -> st.withStage(completed, Instant.now().toString()));
        }
    }

    /**
     * Starts every service of the stages to deploy as soon as it may: a service that declares {@code depends_on}
     * once each dependency reached its condition, whatever its stage (its dependencies are in its own or earlier
     * stages, as preflight made sure); a service that declares none once every earlier stage is complete, the order
     * of record. Returns the failures of the services that failed themselves (not those an earlier failure kept
     * from starting).
     */
    private List<ServiceFailure> runAll(Deployment deployment, StageTracker tracker, Map<String, NamedNetwork> networks,
                                        Map<String, String> volumeNames, Map<String, String> labels,
                                        Map<String, CompletableFuture<Boolean>> ready, ExecutorService pool, Progress progress,
                                        DeployOptions options) {
        Map<String, CompletableFuture<ServiceFailure>> results = new LinkedHashMap<>();
        Map<String, CompletableFuture<Boolean>> started = new ConcurrentHashMap<>();
        Map<String, ServiceSpec> byKey = new LinkedHashMap<>();
        Map<String, Map<String, String>> dependsOn = new LinkedHashMap<>();
        for (int stage : tracker.stages()) {
            for (ServiceSpec s : tracker.servicesOf(stage)) {
                ready.put(s.key(), new CompletableFuture<>());
                started.put(s.key(), new CompletableFuture<>());
                byKey.put(s.key(), s);
                dependsOn.put(s.key(), s.dependsOn());
            }
        }
        for (String key : ready.keySet()) started.putIfAbsent(key, CompletableFuture.completedFuture(true)); // taken over: running
        tracker.begin();
        // in dependency order; waits name only the services being deployed (those taken over are ready)
        for (DependencyOrder.Start start : DependencyOrder.order(dependsOn)) {
            ServiceSpec s = byKey.get(start.service());
            CompletableFuture<Boolean> barrier = s.dependsOn().isEmpty() ? tracker.earlierStagesDone(s.stage()) : null;
            results.put(s.key(), CompletableFuture.supplyAsync(() -> startOne(deployment, s, barrier, start.waits(), networks, volumeNames,
                    labels, ready, started, progress, options.timeouts(), tracker), pool));
        }
        List<ServiceFailure> failures = new ArrayList<>();
        for (var e : results.entrySet()) {
            ServiceFailure f = e.getValue().join();
            if (f != null && !tracker.wasBlocked(e.getKey())) failures.add(f);
        }
        return failures;
    }

    /**
     * Starts one service once the dependencies of its stage it {@code waits} for reached their
     * condition (service_started: its container started; service_healthy and
     * service_completed_successfully: it is ready, which for such a dependency means healthy,
     * respectively exited 0), and waits until it is ready: within its own budget (counted from its
     * start) and within its stage's, whichever ends first (the message names the one that ran out).
     */
    private ServiceFailure startOne(Deployment deployment, ServiceSpec s, CompletableFuture<Boolean> barrier, Map<String, String> waits,
                                    Map<String, NamedNetwork> networks, Map<String, String> volumeNames, Map<String, String> labels,
                                    Map<String, CompletableFuture<Boolean>> ready, Map<String, CompletableFuture<Boolean>> started,
                                    Progress progress, dive.verify.template.Timeouts timeouts, StageTracker tracker) {
        try {
            if (barrier != null && !barrier.join()) {
                failed(s, ready, started, tracker);
                tracker.blocked(s);
                return new ServiceFailure(s.key(), s.stage(), "not started: an earlier stage did not come up", List.of(), null);
            }
            if (!waits.isEmpty()) {
                progress.say(String.format("%-22s waits for %s", s.key(), waits.entrySet().stream()
                        .map(e -> e.getKey() + " (" + e.getValue().replace("service_", "").replace('_', ' ') + ")")
                        .collect(Collectors.joining(", "))));
            }
            for (var dep : waits.entrySet()) {
                boolean startedIsEnough = dep.getValue().equals("service_started");
                CompletableFuture<Boolean> f = (startedIsEnough ? started : ready).get(dep.getKey());
                if (f != null && !f.join()) {
                    failed(s, ready, started, tracker);
                    return new ServiceFailure(s.key(), s.stage(), "not started: it depends on " + dep.getKey() + ", which failed"
                            + (startedIsEnough ? " to start" : ""), List.of(), null);
                }
            }
        } catch (RuntimeException e) {
            failed(s, ready, started, tracker);
            return new ServiceFailure(s.key(), s.stage(), "could not be started: " + rootMessage(e), List.of(), null);
        }
        Instant start = Instant.now();
        Instant stageDeadline = Instant.MAX;
        String stageBudget = "";
        if (tracker != null && !SignalGuard.requested()) {
            // a stage's budget counts from the start of its first service
            stageDeadline = tracker.starting(s).plus(timeouts.stageBudget(s.stage()));
            stageBudget = "the budget of stage " + s.stage() + ", " + timeouts.stageBudget(s.stage()).toSeconds() + " s ("
                    + timeouts.stageBudgetSource(s.stage()) + ")";
        }
        try {
            Duration budget = timeouts.serviceBudget(s);
            Instant deadline = start.plus(budget);
            String budgetText = "its start budget of " + budget.toSeconds() + " s"
                    + (timeouts.serviceBudgetSource(s).startsWith("template") ? "" : " (" + timeouts.serviceBudgetSource(s) + ")");
            if (stageDeadline.isBefore(deadline)) {
                deadline = stageDeadline;
                budgetText = stageBudget;
            }
            ContainerLog log = new ContainerLog(s.key(), RunContext.current().logDir().resolve(deployment.name()).resolve(logName(s)));
            String fatal = s.labels().get(ServiceSpec.FATAL_LOG_LABEL);
            if (fatal != null) log.failOn(java.util.regex.Pattern.compile(fatal));
            if (!deployment.beginStart()) {
                failed(s, ready, started, tracker);
                return new ServiceFailure(s.key(), s.stage(), "not started: the run was interrupted", List.of(), null);
            }
            ServiceContainer c;
            try {
                Map<String, String> withStage = new LinkedHashMap<>(labels);
                withStage.put(RunContext.STAGE_LABEL, String.valueOf(s.stage()));
                c = new ServiceContainer(s, networks, volumeNames, withStage, log);
                deployment.add(c);
                c.start();
                started.get(s.key()).complete(true);
            } catch (RuntimeException e) {
                failed(s, ready, started, tracker);
                return new ServiceFailure(s.key(), s.stage(), "could not be started: " + rootMessage(e), log.tail(ReadinessWait.TAIL), null);
            } finally {
                deployment.endStart();
            }
            for (List<String> hook : s.postStart()) {
                ServiceFailure f = runHook(c, hook, deadline);
                if (f != null) { failed(s, ready, started, tracker); return f; }
            }
            ServiceFailure f = ReadinessWait.await(c, deadline, budgetText,
                    () -> Thread.currentThread().isInterrupted() || SignalGuard.requested(),
                    deployment.plan().healthyByImage().contains(s.key()));
            Duration took = Duration.between(start, Instant.now());
            deployment.timing(new Timing(s.key(), s.stage(), took, f == null ? "ready" : "FAILED"));
            progress.say(String.format("%-22s %s in %.1f s", s.key(), f == null ? (s.oneShot() ? "done" : s.healthcheck() != null ? "healthy" : "running") : "FAILED", took.toMillis() / 1000.0));
            if (f == null) deployment.serviceReady(s.key());
            ready.get(s.key()).complete(f == null);
            started.get(s.key()).complete(f == null);
            if (tracker != null) {
                if (f == null) tracker.ready(s);
                else tracker.failed(s);
            }
            return f;
        } catch (RuntimeException e) {
            failed(s, ready, started, tracker);
            return new ServiceFailure(s.key(), s.stage(), "could not be started: " + rootMessage(e), List.of(), null);
        }
    }

    /** A service that failed (or never started) fails the services waiting for it to start or to be ready. */
    private static void failed(ServiceSpec s, Map<String, CompletableFuture<Boolean>> ready, Map<String, CompletableFuture<Boolean>> started,
                               StageTracker tracker) {
        ready.get(s.key()).complete(false);
        started.get(s.key()).complete(false);
        if (tracker != null) tracker.failed(s);
    }

    private static String logName(ServiceSpec s) {
        return (s.containerName() != null ? s.containerName() : s.key()) + ".log";
    }

    /** A compose post_start hook; retried until it succeeds or the budget ends (the service may still be booting). */
    private ServiceFailure runHook(ServiceContainer c, List<String> hook, Instant deadline) {
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

    private static void createNetworks(DeploymentPlan plan, Set<String> selected, Map<String, String> labels, Map<String, NamedNetwork> out) {
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
            out.put(key, NamedNetwork.getOrCreate(name, spec != null && spec.internal(), withOwn));
        }
    }

    /** A stage's named volumes, created when the stage starts and labelled with it, so rolling the stage back removes them too. */
    private static void createVolumes(DeploymentPlan plan, List<ServiceSpec> services, int stage, Map<String, String> labels,
                                      Map<String, String> names, List<String> created) {
        for (ServiceSpec s : services) {
            for (var v : s.volumes()) {
                if (!v.named() || names.containsKey(v.source())) continue;
                DeploymentPlan.VolumeSpec spec = plan.volumes().get(v.source());
                String name = volumeName(plan, spec);
                names.put(v.source(), name);
                if (spec.external()) continue; // made elsewhere; preflight saw that it exists
                Map<String, String> withStage = new LinkedHashMap<>(spec.labels());
                withStage.putAll(labels); // ours last: teardown and the sweep find the volume by them
                withStage.put(RunContext.STAGE_LABEL, String.valueOf(stage));
                Docker.client().createVolumeCmd().withName(name).withLabels(withStage).exec();
                created.add(name);
            }
        }
    }

    /** A named volume's engine name, as compose makes it: its own name; else its key when external, else PROJECT_KEY. */
    private static String volumeName(DeploymentPlan plan, DeploymentPlan.VolumeSpec spec) {
        return spec.engineName(plan.project());
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return dive.verify.report.Secrets.redact(m);
    }
}
