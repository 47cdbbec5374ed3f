package dive.verify.deploy;

import dive.verify.state.DeploymentState;
import dive.verify.template.ComposeLoader;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deployment plans for the deploy decisions' unit tests, loaded from compose text as the deployer gets them. */
final class Plans {
    private Plans() {}

    /** Loads {@code yaml} as {@code dir/name}; the host's environment plays no part. */
    static DeploymentPlan load(Path dir, String name, String yaml, Map<String, String> env) {
        Path f = dir.resolve(name);
        try {
            Files.writeString(f, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ComposeLoader.load(f, env, ComposeLoader.Options.defaults().withHostEnvironment(v -> null));
    }

    /**
     * The plan with one service moved to another stage: for what the loader refuses already (a dependency of a later
     * stage), but the deployer checks again, because plans are also made in code ({@link DeploymentPlan#alone}).
     */
    static DeploymentPlan withStage(DeploymentPlan p, String key, int stage) {
        ServiceSpec s = p.service(key);
        Map<String, ServiceSpec> services = new LinkedHashMap<>(p.services());
        services.put(key, new ServiceSpec(s.key(), s.image(), s.containerName(), s.command(), s.entrypoint(), s.environment(), s.ports(),
                s.expose(), s.healthcheck(), s.dependsOn(), s.volumes(), s.networks(), s.labels(), s.restart(), s.user(), s.workingDir(),
                s.tmpfs(), s.postStart(), stage, s.startBudget(), s.oneShot(), s.profiles(), s.host()));
        return new DeploymentPlan(p.project(), p.source(), services, p.networks(), p.volumes(), p.unsetVariables(), p.inactive());
    }

    /** The image id the fake engines of these tests give {@code s}'s image. */
    static String imageId(ServiceSpec s) { return "sha256:" + s.image(); }

    /** The container id these tests give {@code s}'s container. */
    static String containerId(ServiceSpec s) { return "id-" + s.key(); }

    /** What a deployment of {@code p} recorded while deploying, once {@code stages} completed (status: deploying). */
    static DeploymentState recorded(DeploymentPlan p, int... stages) {
        DeploymentState st = new DeploymentState(p.project(), "compose.yml", Resume.fileHash(p.source()), "run-1", DeploymentState.DEPLOYING,
                "t0", true, 0, List.of(), null, null);
        for (int stage : stages) {
            Map<String, DeploymentState.ServiceRecord> services = new LinkedHashMap<>();
            for (ServiceSpec s : p.servicesOfStage(stage)) {
                services.put(s.key(), new DeploymentState.ServiceRecord(s.containerName(), containerId(s), s.image(), imageId(s), Resume.specHash(s)));
            }
            st = st.withStage(new DeploymentState.StageRecord(stage, "t" + stage, services), "t" + stage);
        }
        return st;
    }
}
