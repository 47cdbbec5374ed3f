package dive.verify.deploy;

import dive.verify.deploy.EngineView.ContainerView;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.PortMapping;
import dive.verify.template.ServiceSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks made before anything is created, so that bad input never leaves
 * a half-made deployment: no other live run owns the deployment, every
 * variable is set, dependencies are in earlier stages, host ports and
 * container names are free, external networks and volumes exist, images are
 * present. Every problem is gathered, not just the first, and the engine is
 * only read ({@link EngineView}), so each check is unit-tested without one.
 */
final class Preflight {
    private Preflight() {}

    /** Fails with every problem {@link #problems} finds; does nothing when there is none. */
    static void check(DeploymentPlan plan, Set<String> toCreate, List<ContainerView> leftovers, EngineView engine) {
        List<String> problems = problems(plan, toCreate, leftovers, engine);
        if (!problems.isEmpty()) {
            throw new DeploymentFailure(plan.project(), "nothing was created, because:\n  - " + String.join("\n  - ", problems), List.of());
        }
    }

    /**
     * @param toCreate  the services this deployment creates (those it takes over are checked by {@link Resume})
     * @param leftovers containers of this deployment left by earlier runs and not taken over: removed before creating,
     *                  so their names and ports do not clash, unless another live run still owns them
     * @return one line per problem, in a fixed order; empty when there is none
     */
    static List<String> problems(DeploymentPlan plan, Set<String> toCreate, List<ContainerView> leftovers, EngineView engine) {
        Set<String> leftoverNames = new HashSet<>();
        Set<Integer> leftoverPorts = new HashSet<>();
        List<String> busy = new ArrayList<>();
        for (ContainerView c : leftovers) {
            if (RunContext.ownerAlive(c.labels()) && !RunContext.current().runId().equals(c.labels().get(RunContext.RUN_LABEL))) {
                busy.add(c.name() + " (run " + c.labels().get(RunContext.RUN_LABEL) + ", process " + c.labels().get(RunContext.PID_LABEL) + ")");
                continue;
            }
            leftoverNames.add(c.name());
            leftoverPorts.addAll(c.hostPorts());
        }
        List<String> problems = new ArrayList<>();
        if (!busy.isEmpty()) {
            problems.add(plan.project() + " is in use by another live run: " + String.join(", ", busy)
                    + " — wait for it, or stop it (Ctrl-C) before deploying again");
        }
        if (!plan.unsetVariables().isEmpty()) {
            problems.add(plan.source() + ": variables used but not set (they became empty): " + plan.unsetVariables()
                    + " — set them in the instance's .env or give them a default (${VAR:-default})");
        }
        Set<String> images = new LinkedHashSet<>();
        for (String key : toCreate) {
            ServiceSpec s = plan.service(key);
            images.add(s.image());
            dependencies(plan, s, problems);
            for (PortMapping p : s.ports()) {
                if (p.hostPort() > 0 && !leftoverPorts.contains(p.hostPort()) && !engine.hostPortFree(p.hostPort())) {
                    problems.add("service " + key + ": host port " + p.hostPort() + " is already in use");
                }
            }
            if (s.containerName() != null && !leftoverNames.contains(s.containerName()) && engine.container(s.containerName()).isPresent()) {
                problems.add("service " + key + ": a container named " + s.containerName()
                        + " already exists (remove it, or run ./dive-verify clean to remove leftovers)");
            }
        }
        externals(plan, toCreate, engine, problems);
        for (String image : images) {
            if (engine.imageId(image).isEmpty()) {
                problems.add("image " + image + " is not present; build the offline kit with templates/kit/build.sh"
                        + " (or, with a registry, pull it yourself)");
            }
        }
        return problems;
    }

    /** A dependency must start before the service: in an earlier (or the same) stage, and in a stage at all. */
    private static void dependencies(DeploymentPlan plan, ServiceSpec s, List<String> problems) {
        for (String dep : s.dependsOn().keySet()) {
            ServiceSpec d = plan.service(dep);
            if (s.staged() && d.staged() && d.stage() > s.stage()) {
                problems.add("service " + s.key() + " (stage " + s.stage() + ") depends on " + dep + " of a later stage " + d.stage());
            }
            if (s.staged() && !d.staged()) {
                problems.add("service " + s.key() + " depends on " + dep + ", which is in no stage and will never start");
            }
        }
    }

    /**
     * External networks and volumes are made elsewhere and looked up under their own names; each must exist (for a
     * volume, the engine would otherwise quietly create an empty one of that name).
     */
    private static void externals(DeploymentPlan plan, Set<String> toCreate, EngineView engine, List<String> problems) {
        Set<String> networks = new LinkedHashSet<>(), volumes = new LinkedHashSet<>();
        for (String key : toCreate) {
            ServiceSpec s = plan.service(key);
            networks.addAll(s.networks().keySet());
            for (var v : s.volumes()) if (v.named()) volumes.add(v.source());
        }
        for (String key : networks) {
            DeploymentPlan.NetworkSpec spec = plan.networks().get(key);
            if (spec == null || !spec.external()) continue;
            String name = spec.engineName(plan.project());
            if (!engine.networkExists(name)) {
                problems.add("external network " + name + " (network " + key + ") does not exist; create it first "
                        + "(or deploy the hub, which creates it)");
            }
        }
        for (String key : volumes) {
            DeploymentPlan.VolumeSpec spec = plan.volumes().get(key);
            if (spec == null || !spec.external()) continue;
            String name = spec.engineName(plan.project());
            if (!engine.volumeExists(name)) {
                problems.add("external volume " + name + " (volume " + key + ") does not exist; create it first (docker volume create "
                        + name + ")");
            }
        }
    }
}
