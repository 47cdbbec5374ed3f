package dive.verify.deploy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.PortMapping;
import dive.verify.template.ServiceSpec;

import java.io.IOException;
import java.net.ServerSocket;
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
        Progress progress = new Progress(plan.project());
        Set<String> selected = select(plan, options);
        preflight(plan, selected);
        for (ServiceSpec s : plan.unstaged()) {
            if (selected.contains(s.key())) {
                progress.say("WARNING: service " + s.key() + " has no " + ServiceSpec.STAGE_LABEL + " label: no stage will start it");
            }
        }
        RunContext run = RunContext.current();
        Map<String, String> labels = new LinkedHashMap<>(run.labels(plan.project()));
        if (run.keep() != RunContext.Keep.NEVER) labels.put(RunContext.KEEP_LABEL, "true");

        Map<String, NamedNetwork> networks = new LinkedHashMap<>();
        Map<String, String> volumeNames = new LinkedHashMap<>();
        List<String> createdVolumes = new ArrayList<>();
        Deployment deployment = null;
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "deploy-" + plan.project());
            t.setDaemon(true);
            return t;
        });
        try {
            // Created first and filled as we go, so a failure at any point removes what exists.
            deployment = new Deployment(plan, networks, volumeNames, createdVolumes, selected);
            createNetworks(plan, selected, labels, networks);
            createVolumes(plan, selected, labels, volumeNames, createdVolumes);
            Map<String, CompletableFuture<Boolean>> ready = new ConcurrentHashMap<>();
            List<Integer> stages = plan.stages();
            Instant overallStart = Instant.now();
            for (int i = 0; i < stages.size(); i++) {
                int stage = stages.get(i);
                List<ServiceSpec> services = plan.servicesOfStage(stage).stream().filter(s -> selected.contains(s.key())).toList();
                if (services.isEmpty()) continue;
                progress.say("stage " + (i + 1) + " of " + stages.size() + ": starting "
                        + services.stream().map(ServiceSpec::key).collect(Collectors.joining(", ")));
                Instant stageStart = Instant.now();
                List<ServiceFailure> failures = runStage(deployment, services, networks, volumeNames, labels, ready, pool, progress);
                Duration took = Duration.between(stageStart, Instant.now());
                deployment.timing(new Timing("stage " + stage, stage, took, failures.isEmpty() ? "ready" : failures.size() + " failed"));
                if (!failures.isEmpty()) {
                    progress.say("stage " + (i + 1) + " of " + stages.size() + " FAILED after " + took.toSeconds() + " s");
                    throw new DeploymentFailure(plan.project(), failures.size() + " service(s) of stage " + stage + " did not come up", failures);
                }
                progress.say("stage " + (i + 1) + " of " + stages.size() + " ready in " + String.format("%.1f s", took.toMillis() / 1000.0));
            }
            deployment.timing(new Timing("all stages", 0, Duration.between(overallStart, Instant.now()), "ready"));
            List<String> missing = deployment.missingServices();
            if (!missing.isEmpty()) {
                progress.say("WARNING: declared in the template but never created: " + String.join(", ", missing));
            }
            Deployment done = deployment;
            deployment = null; // handed to the caller
            return done;
        } finally {
            pool.shutdownNow();
            boolean keep = RunContext.current().keep() != RunContext.Keep.NEVER;
            if (deployment != null && !keep) {
                // Failure: nothing half-made is left behind unless the user asked to keep it.
                deployment.close();
            } else if (deployment != null) {
                System.out.println("[dive-verify] keeping the failed deployment " + plan.project() + " for inspection (dive.keep)");
            }
        }
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
        if (RunContext.current().keep() != RunContext.Keep.NEVER) labels.put(RunContext.KEEP_LABEL, "true");
        List<ServiceFailure> failures = new ArrayList<>();
        for (String key : services) {
            ServiceSpec spec = newPlan.service(key);
            progress.say("recreating " + key + " with its new environment");
            deployment.removeContainer(key);
            Map<String, CompletableFuture<Boolean>> ready = new ConcurrentHashMap<>();
            ready.put(key, new CompletableFuture<>());
            ServiceFailure f = startOne(deployment, spec, deployment.networks(), deployment.volumeMap(), labels, ready, progress);
            if (f != null) failures.add(f);
        }
        if (!failures.isEmpty()) throw new DeploymentFailure(deployment.name(), "recreated services did not come up", failures);
    }

    private List<ServiceFailure> runStage(Deployment deployment, List<ServiceSpec> services, Map<String, NamedNetwork> networks,
                                          Map<String, String> volumeNames, Map<String, String> labels,
                                          Map<String, CompletableFuture<Boolean>> ready, ExecutorService pool, Progress progress) {
        Map<String, CompletableFuture<ServiceFailure>> results = new LinkedHashMap<>();
        for (ServiceSpec s : services) ready.put(s.key(), new CompletableFuture<>());
        for (ServiceSpec s : services) {
            results.put(s.key(), CompletableFuture.supplyAsync(() -> startOne(deployment, s, networks, volumeNames, labels, ready, progress), pool));
        }
        List<ServiceFailure> failures = new ArrayList<>();
        for (var e : results.entrySet()) {
            ServiceFailure f = e.getValue().join();
            if (f != null) failures.add(f);
        }
        return failures;
    }

    private ServiceFailure startOne(Deployment deployment, ServiceSpec s, Map<String, NamedNetwork> networks,
                                    Map<String, String> volumeNames, Map<String, String> labels,
                                    Map<String, CompletableFuture<Boolean>> ready, Progress progress) {
        Instant start = Instant.now();
        try {
            for (var dep : s.dependsOn().entrySet()) {
                CompletableFuture<Boolean> f = ready.get(dep.getKey());
                if (f != null && !f.join()) {
                    ready.get(s.key()).complete(false);
                    return new ServiceFailure(s.key(), s.stage(), "not started: it depends on " + dep.getKey() + ", which failed", List.of(), null);
                }
            }
            String logName = (s.containerName() != null ? s.containerName() : s.key()) + ".log";
            ContainerLog log = new ContainerLog(s.key(), RunContext.current().logDir().resolve(deployment.name()).resolve(logName));
            String fatal = s.labels().get(ServiceSpec.FATAL_LOG_LABEL);
            if (fatal != null) log.failOn(java.util.regex.Pattern.compile(fatal));
            ServiceContainer c = new ServiceContainer(s, networks, volumeNames, labels, log);
            deployment.add(c);
            try {
                c.start();
            } catch (RuntimeException e) {
                ready.get(s.key()).complete(false);
                return ReadinessWait.failure(c, "could not be started: " + rootMessage(e), null);
            }
            for (List<String> hook : s.postStart()) {
                ServiceFailure f = runHook(c, hook, start.plus(s.startBudget()));
                if (f != null) { ready.get(s.key()).complete(false); return f; }
            }
            ServiceFailure f = ReadinessWait.await(c, start.plus(s.startBudget()), () -> Thread.currentThread().isInterrupted());
            Duration took = Duration.between(start, Instant.now());
            deployment.timing(new Timing(s.key(), s.stage(), took, f == null ? "ready" : "FAILED"));
            progress.say(String.format("%-22s %s in %.1f s", s.key(), f == null ? (s.oneShot() ? "done" : s.healthcheck() != null ? "healthy" : "running") : "FAILED", took.toMillis() / 1000.0));
            ready.get(s.key()).complete(f == null);
            return f;
        } catch (RuntimeException e) {
            ready.get(s.key()).complete(false);
            return new ServiceFailure(s.key(), s.stage(), "could not be started: " + rootMessage(e), List.of(), null);
        }
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

    private static Set<String> select(DeploymentPlan plan, DeployOptions options) {
        if (options.onlyServices() == null) return new LinkedHashSet<>(plan.services().keySet());
        for (String s : options.onlyServices()) plan.service(s); // names the unknown one
        Set<String> out = new LinkedHashSet<>(options.onlyServices());
        // a selected service's dependencies come along
        boolean grew = true;
        while (grew) {
            grew = false;
            for (String s : List.copyOf(out)) for (String d : plan.service(s).dependsOn().keySet()) grew |= out.add(d);
        }
        return out;
    }

    /** Checks that need no container: images present, ports free, dependencies in earlier stages, no clashes. */
    private static void preflight(DeploymentPlan plan, Set<String> selected) {
        DockerClient docker = Docker.client();
        List<String> problems = new ArrayList<>();
        if (!plan.unsetVariables().isEmpty()) {
            problems.add(plan.source() + ": variables used but not set (they became empty): " + plan.unsetVariables()
                    + " — set them in the instance's .env or give them a default (${VAR:-default})");
        }
        Set<String> images = new LinkedHashSet<>();
        for (String key : selected) {
            ServiceSpec s = plan.service(key);
            images.add(s.image());
            for (var dep : s.dependsOn().keySet()) {
                ServiceSpec d = plan.service(dep);
                if (s.staged() && d.staged() && d.stage() > s.stage()) {
                    problems.add("service " + key + " (stage " + s.stage() + ") depends on " + dep + " of a later stage " + d.stage());
                }
                if (s.staged() && !d.staged()) {
                    problems.add("service " + key + " depends on " + dep + ", which is in no stage and will never start");
                }
            }
            for (PortMapping p : s.ports()) {
                if (p.hostPort() > 0 && !portFree(p.hostPort())) {
                    problems.add("service " + key + ": host port " + p.hostPort() + " is already in use");
                }
            }
            if (s.containerName() != null) {
                try {
                    docker.inspectContainerCmd(s.containerName()).exec();
                    problems.add("service " + key + ": a container named " + s.containerName()
                            + " already exists (remove it, or run scripts/dive-verify-clean to sweep leftovers)");
                } catch (NotFoundException expected) {
                    // good: the name is free
                }
            }
        }
        for (String image : images) {
            try {
                docker.inspectImageCmd(image).exec();
            } catch (NotFoundException e) {
                problems.add("image " + image + " is not present; build the offline kit with templates/kit/build.sh"
                        + " (or, with a registry, pull it yourself)");
            }
        }
        if (!problems.isEmpty()) {
            throw new DeploymentFailure(plan.project(), "nothing was created, because:\n  - " + String.join("\n  - ", problems), List.of());
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void createNetworks(DeploymentPlan plan, Set<String> selected, Map<String, String> labels, Map<String, NamedNetwork> out) {
        Set<String> used = new LinkedHashSet<>();
        for (String s : selected) used.addAll(plan.service(s).networks().keySet());
        for (String key : used) {
            DeploymentPlan.NetworkSpec spec = plan.networks().get(key);
            String name = spec != null && spec.name() != null ? spec.name() : plan.project() + "_" + key;
            if (spec != null && spec.external()) {
                List<com.github.dockerjava.api.model.Network> found = Docker.client().listNetworksCmd().withNameFilter(name).exec();
                if (found.stream().noneMatch(n -> n.getName().equals(name))) {
                    throw new DeploymentFailure(plan.project(), "external network " + name + " does not exist; create it first "
                            + "(or deploy the hub, which creates it)", List.of());
                }
            }
            out.put(key, NamedNetwork.getOrCreate(name, spec != null && spec.internal(), labels));
        }
    }

    private static void createVolumes(DeploymentPlan plan, Set<String> selected, Map<String, String> labels,
                                      Map<String, String> names, List<String> created) {
        for (String s : selected) {
            for (var v : plan.service(s).volumes()) {
                if (!v.named() || names.containsKey(v.source())) continue;
                DeploymentPlan.VolumeSpec spec = plan.volumes().get(v.source());
                String name = spec.name() != null ? spec.name() : plan.project() + "_" + v.source();
                names.put(v.source(), name);
                if (spec.external()) continue;
                Docker.client().createVolumeCmd().withName(name).withLabels(labels).exec();
                created.add(name);
            }
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return dive.verify.report.Secrets.redact(m);
    }
}
