package dive.verify.template;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One service of a deployment, as the deployer needs it: everything already
 * interpolated. {@code stage} is 0 when the template gives the service no
 * deployment stage (the deployer then never starts it, which is exactly how a
 * service can go missing; the completeness check names it). {@code postStart}
 * holds compose {@code post_start} hook commands, run in the container once it runs.
 * {@code profiles} are the compose profiles the service belongs to (empty: always
 * deployed); {@code host} the settings passed to the engine's HostConfig as they are.
 */
public record ServiceSpec(
        String key,
        String image,
        String containerName,
        List<String> command,
        List<String> entrypoint,
        Map<String, String> environment,
        List<PortMapping> ports,
        List<Integer> expose,
        HealthcheckSpec healthcheck,
        Map<String, String> dependsOn,
        List<VolumeMount> volumes,
        Map<String, List<String>> networks,
        Map<String, String> labels,
        String restart,
        String user,
        String workingDir,
        List<String> tmpfs,
        List<List<String>> postStart,
        int stage,
        Duration startBudget,
        boolean oneShot,
        List<String> profiles,
        HostSettings host) {

    /** A service without profiles and host settings (as before those keys were honoured). */
    public ServiceSpec(String key, String image, String containerName, List<String> command, List<String> entrypoint,
                       Map<String, String> environment, List<PortMapping> ports, List<Integer> expose, HealthcheckSpec healthcheck,
                       Map<String, String> dependsOn, List<VolumeMount> volumes, Map<String, List<String>> networks,
                       Map<String, String> labels, String restart, String user, String workingDir, List<String> tmpfs,
                       List<List<String>> postStart, int stage, Duration startBudget, boolean oneShot) {
        this(key, image, containerName, command, entrypoint, environment, ports, expose, healthcheck, dependsOn, volumes, networks,
                labels, restart, user, workingDir, tmpfs, postStart, stage, startBudget, oneShot, List.of(), HostSettings.NONE);
    }

    public ServiceSpec {
        profiles = profiles == null ? List.of() : List.copyOf(profiles);
        if (host == null) host = HostSettings.NONE;
    }

    /** The same service, running once (ready when it exited 0) or not. */
    public ServiceSpec withOneShot(boolean once) {
        return new ServiceSpec(key, image, containerName, command, entrypoint, environment, ports, expose, healthcheck, dependsOn,
                volumes, networks, labels, restart, user, workingDir, tmpfs, postStart, stage, startBudget, once, profiles, host);
    }

    /** Label carrying the deployment stage (1..n) of a service. */
    public static final String STAGE_LABEL = "dive.deploy.stage";
    /** Label overriding the start budget, in seconds. */
    public static final String BUDGET_LABEL = "dive.deploy.start-budget";
    /** Label with a regular expression: a log line matching it fails the service at once. */
    public static final String FATAL_LOG_LABEL = "dive.deploy.fatal-log";
    /** Label saying, in words, what a fatal log line means. */
    public static final String FATAL_REASON_LABEL = "dive.deploy.fatal-log-reason";
    /** Label marking a service that runs once and must exit 0. */
    public static final String ONE_SHOT_LABEL = "dive.deploy.one-shot";

    public boolean staged() { return stage > 0; }

    /** The service's kind without the instance suffix: {@code kas-fra} → {@code kas}. */
    public String kind() {
        int dash = key.lastIndexOf('-');
        if (dash > 0 && key.length() - dash == 4) return key.substring(0, dash);
        return key;
    }
}
