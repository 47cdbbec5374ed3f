package dive.verify.deploy;

import dive.verify.state.DeploymentState;
import dive.verify.state.StateFile;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;
import dive.verify.template.Timeouts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Turns a {@link DeploymentPlan} into running containers. The
 * {@link DeploymentPlanner} decides, before anything is created, what is taken
 * over, what is removed and what is created (or refuses, with every reason);
 * this class runs those actions in order through the {@link DeployExecutor},
 * each service as soon as what it depends on is ready, and the
 * {@link DeploymentRecorder} reports and checkpoints them. Stages stay the
 * order of record: a stage is complete, and checkpointed, when all its
 * services and every earlier stage's are ready; a failed stage reports all its
 * failures.
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
        StateFile stateFile = options.stateDir() == null ? null : new StateFile(options.stateDir());
        DeploymentState previous = stateFile == null ? null : stateFile.read().orElse(null);
        DeploymentPlanner.Actions actions = DeploymentPlanner.plan(plan, selected, options.mode(), previous,
                stateFile == null ? null : stateFile.path().toString(), EngineView.docker());
        for (String w : actions.warnings()) progress.say("WARNING: " + w);
        Resume resume = actions.resume();
        // before the deployment's state is written: a failure here leaves what was taken over as it was
        actions.leftovers().forEach(c -> DeployExecutor.removeLeftover(c, progress));
        actions.rollBack().forEach(v -> DeployExecutor.rollBack(v, progress));
        boolean keep = RunContext.current().keep() != RunContext.Keep.NEVER;
        List<Integer> stages = plan.stages();
        int firstStage = stages.isEmpty() ? 0 : stages.get(0);
        DeploymentState initial = new DeploymentState(plan.project(), plan.source().getFileName().toString(), Resume.fileHash(plan.source()),
                RunContext.current().runId(), DeploymentState.DEPLOYING, Instant.now().toString(), keep,
                resume.resumeAt() != firstStage ? resume.resumeAt() : 0, resume.adoptedStages(), null, null);
        Deployment deployment = null;
        ExecutorService pool = newPool(plan.project());
        try {
            // Created before anything else and filled as we go, so a failure or a signal at any point removes what exists.
            deployment = new Deployment(plan, selected, stateFile, initial);
            DeploymentRecorder recorder = new DeploymentRecorder(deployment, progress, stages, keep);
            DeployExecutor executor = new DeployExecutor(deployment, RunContext.current().labels(plan.project()));
            executor.createNetworks(selected);
            resume.adopted().values().forEach(executor::adopt);
            recorder.adopted(resume);
            Instant overallStart = Instant.now();
            if (!actions.nothingToCreate()) {
                if (SignalGuard.requested()) throw interrupted(plan, actions.stages().keySet().iterator().next());
                actions.stages().forEach(executor::createVolumes);
                StageTracker tracker = new StageTracker(actions.stages(), stage -> recorder.stageStarting(stage, actions.stages().get(stage)),
                        (stage, services, took) -> recorder.stageComplete(stage, services, took, executor::recordOf),
                        recorder::lowestIncomplete);
                List<ServiceFailure> failures = runAll(actions.starts(), tracker, executor, recorder, pool, options.timeouts());
                if (SignalGuard.requested()) throw interrupted(plan, tracker.lowestIncomplete());
                if (!failures.isEmpty()) {
                    int stage = failures.stream().mapToInt(ServiceFailure::stage).min().orElse(0);
                    throw recorder.stageFailed(stage, tracker.startedAt(stage), failures);
                }
                deployment.stageDone();
            }
            // Ready by their own health command (those taken over too: one the engine still called "starting" was taken
            // over on its own command's word); the engine's checks catch up on their interval, and whatever reads the
            // engine's status waits for them (Deployment.engineAgreement).
            deployment.watchEngineAgreement(plan.services().values().stream()
                    .filter(s -> s.staged() && selected.contains(s.key())).toList(), progress);
            recorder.complete(Duration.between(overallStart, Instant.now()));
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

    /** Threads of one deployment's service starts (daemons: a stuck start never keeps the JVM alive). */
    private static ExecutorService newPool(String project) {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "deploy-" + project);
            t.setDaemon(true);
            return t;
        });
    }

    private static DeploymentFailure interrupted(DeploymentPlan plan, int stage) {
        return new DeploymentFailure(plan.project(), "interrupted by " + SignalGuard.signal() + " during stage " + stage, List.of());
    }

    /**
     * Recreates services of a running deployment from a new plan (e.g. after
     * registration wrote new tokens into .env), each waited for like at deploy
     * time: all at once when none of them depends on another of them (what
     * they depend on runs already), else one after the other, in the order given.
     */
    public void recreate(Deployment deployment, DeploymentPlan newPlan, List<String> services) {
        Progress progress = new Progress(deployment.name());
        deployment.plan(newPlan);
        DeploymentRecorder recorder = new DeploymentRecorder(deployment, progress, newPlan.stages(),
                RunContext.current().keep() != RunContext.Keep.NEVER);
        DeployExecutor executor = new DeployExecutor(deployment, RunContext.current().labels(newPlan.project()));
        boolean independent = services.stream().noneMatch(k -> newPlan.service(k).dependsOn().keySet().stream().anyMatch(services::contains));
        ExecutorService pool = newPool(deployment.name());
        List<ServiceFailure> failures = new ArrayList<>();
        try {
            List<CompletableFuture<ServiceFailure>> results = new ArrayList<>();
            for (String key : services) {
                ServiceSpec spec = newPlan.service(key);
                CompletableFuture<ServiceFailure> result = CompletableFuture.supplyAsync(() -> {
                    recorder.say("recreating " + key + " with its new environment");
                    deployment.removeContainer(key);
                    Instant start = Instant.now();
                    Duration budget = Timeouts.none().serviceBudget(spec);
                    ServiceFailure f;
                    try {
                        f = executor.start(spec, start.plus(budget), "its start budget of " + budget.toSeconds() + " s", () -> {});
                    } catch (RuntimeException e) {
                        f = DeployExecutor.couldNotStart(spec, e);
                    }
                    recorder.serviceDone(spec, Duration.between(start, Instant.now()), f);
                    return f;
                }, pool);
                if (!independent) result.join();
                results.add(result);
            }
            for (var r : results) {
                ServiceFailure f = r.join();
                if (f != null) failures.add(f);
            }
        } finally {
            pool.shutdownNow();
        }
        if (!failures.isEmpty()) throw new DeploymentFailure(deployment.name(), "recreated services did not come up", failures);
        deployment.watchEngineAgreement(services.stream().map(newPlan::service).toList(), progress);
        // the checkpoint follows: a later resume compares against what runs now
        for (int stage : services.stream().map(k -> newPlan.service(k).stage()).distinct().toList()) {
            if (deployment.state() == null || deployment.state().stage(stage).isEmpty()) continue;
            List<ServiceSpec> ofStage = newPlan.servicesOfStage(stage).stream().filter(s -> deployment.selectedServices().contains(s.key())).toList();
            recorder.checkpointStage(stage, ofStage, executor::recordOf);
        }
    }

    /**
     * Starts every planned service as soon as it may (see {@link DeploymentPlanner.Start}) and waits for all.
     * Returns the failures of the services that failed themselves, not of those an earlier failure kept from starting.
     */
    private List<ServiceFailure> runAll(List<DeploymentPlanner.Start> starts, StageTracker tracker, DeployExecutor executor,
                                        DeploymentRecorder recorder, ExecutorService pool, Timeouts timeouts) {
        Map<String, CompletableFuture<Boolean>> ready = new ConcurrentHashMap<>(), started = new ConcurrentHashMap<>();
        for (DeploymentPlanner.Start start : starts) {
            ready.put(start.service().key(), new CompletableFuture<>());
            started.put(start.service().key(), new CompletableFuture<>());
        }
        tracker.begin();
        Map<String, CompletableFuture<ServiceFailure>> results = new LinkedHashMap<>();
        for (DeploymentPlanner.Start start : starts) {
            ServiceSpec s = start.service();
            CompletableFuture<Boolean> barrier = start.afterEarlierStages() ? tracker.earlierStagesDone(s.stage()) : null;
            results.put(s.key(), CompletableFuture.supplyAsync(() -> {
                ServiceFailure f;
                try {
                    f = startWhenDue(start, barrier, ready, started, tracker, executor, recorder, timeouts);
                } catch (RuntimeException e) {
                    f = DeployExecutor.couldNotStart(s, e);
                }
                // a service that failed (or never started) fails the services waiting for it to start or to be ready
                ready.get(s.key()).complete(f == null);
                started.get(s.key()).complete(f == null);
                if (f == null) tracker.ready(s);
                else tracker.failed(s);
                return f;
            }, pool));
        }
        List<ServiceFailure> failures = new ArrayList<>();
        for (var e : results.entrySet()) {
            ServiceFailure f = e.getValue().join();
            if (f != null && !tracker.wasBlocked(e.getKey())) failures.add(f);
        }
        return failures;
    }

    /**
     * Starts one service once its start conditions hold (service_started: the dependency's container started;
     * service_healthy and service_completed_successfully: it is ready, which for such a dependency means healthy,
     * respectively exited 0), and waits until it is ready: within its own budget (counted from its start) and within
     * its stage's, whichever ends first (the message names the one that ran out).
     */
    private static ServiceFailure startWhenDue(DeploymentPlanner.Start start, CompletableFuture<Boolean> barrier,
                                               Map<String, CompletableFuture<Boolean>> ready, Map<String, CompletableFuture<Boolean>> started,
                                               StageTracker tracker, DeployExecutor executor, DeploymentRecorder recorder, Timeouts timeouts) {
        ServiceSpec s = start.service();
        if (barrier != null && !barrier.join()) {
            tracker.blocked(s);
            return new ServiceFailure(s.key(), s.stage(), "not started: an earlier stage did not come up", List.of(), null);
        }
        recorder.waits(s, start.waits());
        for (var dep : start.waits().entrySet()) {
            boolean startedIsEnough = dep.getValue().equals("service_started");
            CompletableFuture<Boolean> f = (startedIsEnough ? started : ready).get(dep.getKey());
            if (f != null && !f.join()) {
                return new ServiceFailure(s.key(), s.stage(), "not started: it depends on " + dep.getKey() + ", which failed"
                        + (startedIsEnough ? " to start" : ""), List.of(), null);
            }
        }
        Instant begin = Instant.now();
        Duration budget = timeouts.serviceBudget(s);
        Instant deadline = begin.plus(budget);
        String budgetText = "its start budget of " + budget.toSeconds() + " s"
                + (timeouts.serviceBudgetSource(s).startsWith("template") ? "" : " (" + timeouts.serviceBudgetSource(s) + ")");
        if (!SignalGuard.requested()) {
            // a stage's budget counts from the start of its first service
            Instant stageDeadline = tracker.starting(s).plus(timeouts.stageBudget(s.stage()));
            if (stageDeadline.isBefore(deadline)) {
                deadline = stageDeadline;
                budgetText = "the budget of stage " + s.stage() + ", " + timeouts.stageBudget(s.stage()).toSeconds() + " s ("
                        + timeouts.stageBudgetSource(s.stage()) + ")";
            }
        }
        ServiceFailure f = executor.start(s, deadline, budgetText, () -> started.get(s.key()).complete(true));
        recorder.serviceDone(s, Duration.between(begin, Instant.now()), f);
        return f;
    }
}
