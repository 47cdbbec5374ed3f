package dive.verify.deploy;

import com.github.dockerjava.api.model.Container;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import dive.verify.state.DeploymentState;
import dive.verify.state.StateFile;

/**
 * A running (or partly running) deployment: its containers by service key,
 * their logs, the networks and volumes it created, and its timings.
 * {@link #close()} removes everything it created.
 */
public final class Deployment implements AutoCloseable {
    private static final List<Deployment> LIVE = new CopyOnWriteArrayList<>();

    static {
        // Ctrl-C / SIGTERM: remove what is running unless the user asked to keep it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Deployment d : LIVE) {
                if (RunContext.current().keep() == RunContext.Keep.NEVER) {
                    System.err.println("[dive-verify] interrupted: removing deployment " + d.name());
                    d.close();
                }
            }
        }, "dive-verify-teardown"));
    }

    private volatile DeploymentPlan plan;
    private final Map<String, ServiceHandle> containers = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, NamedNetwork> networks = Collections.synchronizedMap(new LinkedHashMap<>());
    /** A named volume's key in the template → its engine name. */
    private final Map<String, String> volumeNames = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> createdVolumes = new CopyOnWriteArrayList<>();
    private final List<Timing> timings = new CopyOnWriteArrayList<>();
    private final Set<String> selected;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    // checkpoints and interruption
    private final StateFile stateFile;
    private volatile DeploymentState state;
    private volatile int deployingStage;
    private final Set<String> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Object startLock = new Object();
    private int inFlightStarts;
    private final SignalGuard.Listener onSignal = this::interrupted;
    /** Set for a deployment another tool made (compose project name): read, never changed or removed. */
    private volatile String attachedProject;
    /** The engine's own health checks catching up with what the deployer saw; see {@link #engineAgreement()}. */
    private volatile CompletableFuture<List<ServiceFailure>> engineAgreement = CompletableFuture.completedFuture(List.of());

    /** Empty at first: the executor adds each container, network and volume as soon as it exists. */
    Deployment(DeploymentPlan plan, Set<String> selected, StateFile stateFile, DeploymentState initial) {
        this.plan = plan;
        this.selected = selected;
        this.stateFile = stateFile;
        this.state = initial;
        LIVE.add(this);
        SignalGuard.register(onSignal);
        if (stateFile != null && initial != null) stateFile.write(initial);
    }

    public String name() { return plan.project(); }

    public DeploymentPlan plan() { return plan; }

    void plan(DeploymentPlan newPlan) { this.plan = newPlan; }

    Map<String, NamedNetwork> networks() { return networks; }

    Map<String, String> volumeMap() { return volumeNames; }

    /** A volume this deployment owns: removed at teardown. */
    void createdVolume(String name) { createdVolumes.add(name); }

    /** Removes one service's container (to recreate it with a new environment). */
    void removeContainer(String service) {
        ServiceHandle c = containers.remove(service);
        if (c != null) {
            c.log().close();
            try {
                Docker.client().removeContainerCmd(c.containerId()).withForce(true).withRemoveVolumes(true).exec();
            } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
                // already removed
            }
        }
    }

    void add(ServiceHandle c) { containers.put(c.spec().key(), c); }

    void timing(Timing t) { timings.add(t); }

    public List<Timing> timings() { return List.copyOf(timings); }

    /** Services the run was asked to deploy (all by default). */
    public Set<String> selectedServices() { return selected; }

    /** The recorded state (also in the instance's state file, when there is one). */
    public DeploymentState state() { return state; }

    /** The stage this deployment resumed at, 0 when it deployed every stage itself. */
    public int resumedAt() { return state == null ? 0 : state.resumedAt(); }

    /** Services this deployment took over from an earlier run instead of creating them. */
    public Set<String> adoptedServices() {
        Set<String> out = new TreeSet<>();
        synchronized (containers) { containers.forEach((k, c) -> { if (c instanceof AdoptedService) out.add(k); }); }
        return out;
    }

    /** Applies a change to the state and writes it (atomically) to the state file. */
    synchronized void checkpoint(UnaryOperator<DeploymentState> change) {
        if (state == null) return;
        state = change.apply(state);
        if (stateFile != null) {
            try {
                stateFile.write(state);
            } catch (RuntimeException e) {
                System.err.println("[dive-verify] could not write the deployment state: " + e.getMessage());
            }
        }
    }

    void stageStarting(int stage, java.util.Collection<String> services) {
        pending.clear();
        pending.addAll(services);
        deployingStage = stage;
    }

    void serviceReady(String service) { pending.remove(service); }

    void stageDone() {
        deployingStage = 0;
        pending.clear();
    }

    /** A container may be created only while no signal came and no teardown began; in-flight creations are awaited by teardown. */
    boolean beginStart() {
        synchronized (startLock) {
            if (SignalGuard.requested() || closing.get()) return false;
            inFlightStarts++;
            return true;
        }
    }

    void endStart() {
        synchronized (startLock) {
            inFlightStarts--;
            startLock.notifyAll();
        }
    }

    private void awaitStarts(long maxMillis) {
        long end = System.currentTimeMillis() + maxMillis;
        synchronized (startLock) {
            while (inFlightStarts > 0 && System.currentTimeMillis() < end) {
                try {
                    startLock.wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** SIGINT/SIGTERM: record where the deployment was, then tear down, or keep what runs when the user asked to. */
    private void interrupted(String signal) {
        boolean keep = RunContext.current().keep() != RunContext.Keep.NEVER;
        int stage = deployingStage;
        List<String> notReady = new ArrayList<>(new TreeSet<>(pending));
        awaitStarts(20_000); // a container being created now must exist before teardown lists them
        String now = java.time.Instant.now().toString();
        checkpoint(s -> s.withInterruption(new DeploymentState.Interruption(signal, stage, notReady, now, keep ? "kept" : "removed"), keep, now));
        System.err.println("[dive-verify] " + name() + ": interrupted by " + signal
                + (stage > 0 ? " during stage " + stage + (notReady.isEmpty() ? "" : " (not ready: " + String.join(", ", notReady) + ")") : " after deployment")
                + (stateFile != null ? "; recorded in " + stateFile.path() : ""));
        if (keep) {
            System.err.println("[dive-verify] " + name() + ": keeping what runs (dive.keep=" + RunContext.current().keep().name().toLowerCase().replace('_', '-')
                    + "); deploy again to resume" + (stage > 0 ? " at stage " + stage : "") + ", or remove it with ./dive-verify clean");
        } else {
            System.err.println("[dive-verify] " + name() + ": removing what it created");
            close();
        }
    }

    public boolean isRunning(String service) {
        ServiceHandle c = containers.get(service);
        return c != null && c.isRunning();
    }

    public String containerId(String service) {
        ServiceHandle c = requireContainer(service);
        return c.containerId();
    }

    public ContainerLog log(String service) { return requireContainer(service).log(); }

    public Map<String, ContainerLog> logs() {
        Map<String, ContainerLog> out = new LinkedHashMap<>();
        synchronized (containers) { containers.forEach((k, c) -> out.put(k, c.log())); }
        return out;
    }

    public ServiceSpec spec(String service) { return plan.service(service); }

    /** Runs a command in a service's container. */
    public org.testcontainers.containers.Container.ExecResult exec(String service, String... command) {
        try {
            return requireContainer(service).exec(command);
        } catch (Exception e) {
            throw new IllegalStateException("cannot run a command in " + service + ": " + e.getMessage(), e);
        }
    }

    /** The host port the engine published for a container port of a service. */
    public int mappedPort(String service, int containerPort) {
        var ports = Docker.client().inspectContainerCmd(containerId(service)).exec().getNetworkSettings().getPorts().getBindings();
        var binding = ports.get(com.github.dockerjava.api.model.ExposedPort.tcp(containerPort));
        if (binding == null || binding.length == 0) throw new IllegalStateException(service + " publishes no port for " + containerPort);
        return Integer.parseInt(binding[0].getHostPortSpec());
    }

    /** Stops a service's container (fault injection), keeping it for its logs. */
    public void stop(String service) {
        Docker.client().stopContainerCmd(containerId(service)).withTimeout(5).exec();
    }

    /**
     * Containers of this deployment that exist in the engine right now, by
     * service key, with their Docker state ("running", "exited", …). Read from
     * the engine, never from our own bookkeeping.
     */
    public Map<String, String> existingContainers() {
        Map<String, String> out = new LinkedHashMap<>();
        List<Container> list = engineContainers();
        String serviceLabel = attachedProject != null ? Attach.COMPOSE_SERVICE : RunContext.SERVICE_LABEL;
        for (Container c : list) out.put(c.getLabels().get(serviceLabel), c.getState());
        return out;
    }

    /** Marks this deployment as attached to compose project {@code project}: its containers belong to another tool. */
    void attachedTo(String project) {
        this.attachedProject = project;
        LIVE.remove(this);
        SignalGuard.unregister(onSignal);
    }

    /** The compose project of a deployment another tool made, or null for one this harness made. */
    public String attachedProject() { return attachedProject; }

    /** The containers of a deployment (by its project name) in the engine, whatever run made them: container id by service. */
    public static Map<String, String> containersInEngine(String project) {
        Map<String, String> out = new java.util.TreeMap<>();
        Docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT, RunContext.DEPLOYMENT_LABEL, project)).exec()
                .forEach(c -> out.put(c.getLabels().get(RunContext.SERVICE_LABEL), c.getId()));
        return out;
    }

    /** This deployment's containers in the engine: created by this run, or adopted from an earlier one. */
    private List<Container> engineContainers() {
        if (attachedProject != null) {
            return Docker.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Attach.COMPOSE_PROJECT, attachedProject)).exec();
        }
        Set<String> adopted = new java.util.HashSet<>();
        synchronized (containers) { containers.values().forEach(c -> { if (c instanceof AdoptedService) adopted.add(c.containerId()); }); }
        return Docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(RunContext.PROJECT_LABEL, RunContext.PROJECT, RunContext.DEPLOYMENT_LABEL, name())).exec().stream()
                .filter(c -> RunContext.current().runId().equals(c.getLabels().get(RunContext.RUN_LABEL)) || adopted.contains(c.getId()))
                .toList();
    }

    /** Services the template declares (and the run selected) for which no container exists. */
    public List<String> missingServices() {
        Set<String> existing = existingContainers().keySet();
        List<String> missing = new ArrayList<>();
        for (String s : plan.services().keySet()) if (selected.contains(s) && !existing.contains(s)) missing.add(s);
        return missing;
    }

    /**
     * Starts watching, in the background, for the engine's own health checks to call {@code services} healthy
     * ({@link EngineHealth}). The deployer calls a service ready when its health command first passes; the engine
     * runs the same command only at its interval, up to one interval later. Nothing waits for that here: whoever
     * reads the engine's status waits, through {@link #engineAgreement()}.
     */
    void watchEngineAgreement(List<ServiceSpec> services, Progress progress) {
        // its own daemon thread: the deployer's pool is shut down when deploy returns, and the watch outlives it
        var watching = CompletableFuture.supplyAsync(() -> EngineHealth.awaitAgreement(this, services, progress), task -> {
            Thread t = new Thread(task, "engine-agreement-" + name());
            t.setDaemon(true);
            t.start();
        });
        engineAgreement = engineAgreement.thenCombine(watching, (a, b) -> {
            List<ServiceFailure> all = new ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        });
    }

    /**
     * Waits until the engine's own health checks agree with the deployer (at most one interval, its timeout and
     * a grace after the services were ready) and returns the services where they did not, with what the engine said.
     * Checks that read the engine's status call this first.
     */
    public List<ServiceFailure> engineAgreement() {
        return engineAgreement.join();
    }

    boolean closing() { return closing.get(); }

    /** Docker health of a service's container: healthy, unhealthy, starting, or none. */
    public String health(String service) {
        var state = Docker.client().inspectContainerCmd(containerId(service)).exec().getState();
        if (!Boolean.TRUE.equals(state.getRunning())) return "not running (" + state.getStatus() + ", exit " + state.getExitCodeLong() + ")";
        return state.getHealth() == null ? "running (no healthcheck)" : state.getHealth().getStatus();
    }

    /** Names of this deployment's containers, read from the engine. */
    public Set<String> containerNames() {
        Set<String> out = new TreeSet<>();
        engineContainers()
                .forEach(c -> out.add(c.getNames()[0].replaceFirst("^/", "")));
        return out;
    }

    /** Host ports this deployment publishes, read from the engine. */
    public Set<Integer> hostPorts() {
        Set<Integer> out = new TreeSet<>();
        engineContainers()
                .forEach(c -> { for (var p : c.getPorts()) if (p.getPublicPort() != null) out.add(p.getPublicPort()); });
        return out;
    }

    public Set<String> networkNames() {
        Set<String> out = new TreeSet<>();
        networks.values().forEach(n -> out.add(n.name()));
        return out;
    }

    public Set<String> volumeNames() { return new TreeSet<>(createdVolumes); }

    private ServiceHandle requireContainer(String service) {
        ServiceHandle c = containers.get(service);
        if (c == null) {
            throw new IllegalStateException("service " + service + " of " + name() + " has no container (it was never created); "
                    + "existing: " + containers.keySet());
        }
        return c;
    }

    /**
     * Removes containers, then volumes and networks this deployment created.
     * Safe to call twice. Each removal is bounded in time, so a hung engine
     * call cannot hang the run (or Ctrl-C); what is left is swept by label
     * at the next start.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        if (attachedProject != null) {
            // another tool's deployment: stop following its logs, touch nothing else
            synchronized (containers) { containers.values().forEach(c -> c.log().close()); }
            return;
        }
        LIVE.remove(this);
        SignalGuard.unregister(onSignal);
        awaitStarts(20_000);
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        synchronized (containers) {
            containers.values().forEach(c -> {
                c.log().close();
                if (c.containerId() != null) ids.add(c.containerId());
            });
        }
        try {
            engineContainers().forEach(c -> ids.add(c.getId()));
        } catch (RuntimeException e) {
            System.err.println("[dive-verify] could not list the containers of " + name() + ": " + e.getMessage());
        }
        // one removal at a time: concurrent stops racing with health-check execs can wedge dockerd 20.10 (moby#36661)
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(1, r -> {
            Thread t = new Thread(r, "teardown-" + name());
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> removals = new ArrayList<>();
            for (String id : ids) {
                removals.add(pool.submit(() -> {
                    try {
                        Docker.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
                    } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
                        // already removed
                    }
                    return null;
                }));
            }
            for (var f : removals) {
                try {
                    f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("[dive-verify] could not remove a container of " + name() + ": " + e.getMessage());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (String v : createdVolumes) {
            try {
                Docker.client().removeVolumeCmd(v).exec();
            } catch (RuntimeException e) {
                System.err.println("[dive-verify] could not remove volume " + v + ": " + e.getMessage());
            }
        }
        networks.values().forEach(n -> {
            try {
                n.close();
            } catch (RuntimeException e) {
                System.err.println("[dive-verify] could not remove network " + n.name() + ": " + e.getMessage());
            }
        });
        checkpoint(s -> s.removed(java.time.Instant.now().toString()));
    }
}
