package dive.verify.steps;

import dive.verify.deploy.DeployOptions;
import dive.verify.deploy.Deployment;
import dive.verify.deploy.RunContext;
import dive.verify.deploy.StagedDeployer;
import dive.verify.instance.Instance;
import dive.verify.instance.InstanceInit;
import dive.verify.template.DeploymentPlan;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What outlives one scenario within a run: the instance directories and the
 * deployment of each instance. A scenario asking for the same deployment as
 * the previous one reuses it (deploying a spoke costs minutes); asking for a
 * different one for the same instance replaces it, since container names are
 * fixed by the template.
 */
final class Harness {
    static final Path REPO = Path.of(System.getProperty("dive.repo.root", ".")).toAbsolutePath().normalize();
    static final Path TEMPLATES = REPO.resolve("templates");
    static final String PROFILE = System.getProperty("dive.image.profile", "kit");

    private record Active(String key, Deployment deployment) {}

    private static final Map<String, Active> ACTIVE = new LinkedHashMap<>();
    /** Shared deployments that failed: later scenarios fail at once with the same evidence instead of redeploying. */
    private static final Map<String, RuntimeException> FAILED = new LinkedHashMap<>();

    private Harness() {}

    static Path instancesDir() { return RunContext.current().workDir().resolve("instances"); }

    static InstanceInit.Result init(String kind, String code, String name) {
        return new InstanceInit(TEMPLATES, instancesDir()).init(kind, code, name, PROFILE);
    }

    /** One lock per instance: an instance is deployed by one thread at a time, different instances side by side. */
    private static final Map<String, Object> DEPLOYING = new java.util.concurrent.ConcurrentHashMap<>();

    /** The deployment of {@code instance} for {@code key}, reused when it is the one already running. */
    static Deployment deploy(Instance instance, String key, DeploymentPlan plan, DeployOptions options, boolean reusable) {
        String code = instance.code().upper();
        synchronized (DEPLOYING.computeIfAbsent(code, c -> new Object())) {
            String failedKey = code + "|" + key;
            synchronized (Harness.class) {
                Active a = ACTIVE.get(code);
                if (a != null && reusable && a.key().equals(key)) {
                    System.out.println("[dive-verify] reusing the running deployment " + a.deployment().name() + " (" + key + ")");
                    return a.deployment();
                }
                if (reusable && FAILED.containsKey(failedKey)) {
                    throw new IllegalStateException("not deployed again: this deployment already failed earlier in this run:\n"
                            + FAILED.get(failedKey).getMessage());
                }
                release(code);
            }
            Deployment d;
            try {
                d = new StagedDeployer().deploy(plan, options.withState(instance.dir()).withTimeouts(timeouts(instance)));
            } catch (RuntimeException e) {
                if (reusable) {
                    synchronized (Harness.class) { FAILED.put(failedKey, e); }
                }
                throw e;
            }
            synchronized (Harness.class) {
                ACTIVE.put(code, new Active(reusable ? key : "single-use:" + System.nanoTime(), d));
            }
            KeycloakStarts.record(d);
            return d;
        }
    }

    /** The operator's budgets of an instance, when its directory has a deploy-timeouts.properties. */
    static dive.verify.template.Timeouts timeouts(Instance instance) {
        Path file = instance.dir().resolve(dive.verify.cli.Deploy.TIMEOUTS_FILE);
        return java.nio.file.Files.exists(file) ? dive.verify.template.Timeouts.load(file) : dive.verify.template.Timeouts.none();
    }

    /** Marks an instance's deployment as not reusable (a fault was injected into it). */
    static synchronized void spoil(String code) {
        Active a = ACTIVE.get(code);
        if (a != null) ACTIVE.put(code, new Active("spoiled:" + System.nanoTime(), a.deployment()));
    }

    /** The deployment of an instance while it is still the one deployed for {@code key}; else null. */
    static synchronized Deployment active(String code, String key) {
        Active a = ACTIVE.get(code);
        return a != null && a.key().equals(key) ? a.deployment() : null;
    }

    /**
     * Lets a running deployment serve another key from now on (its plan and options must be what that key deploys),
     * so the next scenario that asks for it under that key reuses it instead of deploying it again.
     */
    static synchronized boolean handOver(String code, String fromKey, String toKey) {
        Active a = ACTIVE.get(code);
        if (a == null || !a.key().equals(fromKey)) return false;
        ACTIVE.put(code, new Active(toKey, a.deployment()));
        return true;
    }

    static synchronized void release(String code) {
        Active a = ACTIVE.remove(code);
        if (a != null) a.deployment().close();
    }

    static synchronized void releaseAll() {
        for (String code : java.util.List.copyOf(ACTIVE.keySet())) release(code);
    }

    static synchronized boolean isActive(Deployment d) {
        return ACTIVE.values().stream().anyMatch(a -> a.deployment() == d);
    }

    static synchronized boolean isReusable(Deployment d) {
        return ACTIVE.values().stream().anyMatch(a -> a.deployment() == d && !a.key().startsWith("single-use:") && !a.key().startsWith("spoiled:"));
    }
}
