package dive.verify.steps;

import dive.verify.deploy.Attach;
import dive.verify.deploy.Deployment;
import dive.verify.instance.EnvFile;
import dive.verify.instance.Instance;
import dive.verify.instance.InstanceCode;
import dive.verify.template.ComposeLoader;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code -Ddive.target=attach}: the outcome features run against a spoke that
 * another tool deployed and that runs now, found by the compose project and
 * service names of the operator's own file ({@code -Ddive.attach.dir}, holding
 * its {@code docker-compose.yml} and {@code .env}; {@code -Ddive.attach.compose}
 * and {@code -Ddive.attach.project} override). Steps that would deploy attach
 * instead; scenarios that would change the deployment are not applicable.
 */
final class AttachTarget {
    static final boolean ENABLED = "attach".equals(System.getProperty("dive.target", "deploy"));
    private static final Pattern SPOKE_SERVICE = Pattern.compile("(?:postgres|mongodb|backend)-([a-z]{3})");

    private static Instance instance;
    private static Deployment deployment;

    private AttachTarget() {}

    private static Path dir() {
        String d = System.getProperty("dive.attach.dir");
        if (d == null || d.isBlank()) {
            throw new IllegalStateException("-Ddive.target=attach needs -Ddive.attach.dir=DIR: the operator's instance directory "
                    + "with its compose file and .env");
        }
        Path p = Path.of(d).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) throw new IllegalStateException("-Ddive.attach.dir=" + d + ": no such directory");
        return p;
    }

    private static Path compose() {
        String c = System.getProperty("dive.attach.compose");
        Path f = c == null || c.isBlank() ? dir().resolve("docker-compose.yml") : Path.of(c).toAbsolutePath();
        if (!Files.isRegularFile(f)) throw new IllegalStateException("attach mode: no compose file " + f + " (set -Ddive.attach.compose)");
        return f;
    }

    /** The operator's spoke as an instance: code from its service names, ports from its running containers. */
    static synchronized Instance instance(String expectedCode) {
        if (instance != null) return instance;
        Path dir = dir();
        Map<String, String> env = new EnvFile(dir.resolve(".env")).read();
        DeploymentPlan plan = ComposeLoader.load(compose(), env);
        String code = null;
        for (String key : plan.services().keySet()) {
            Matcher m = SPOKE_SERVICE.matcher(key);
            if (m.matches()) code = m.group(1);
        }
        if (code == null) throw new IllegalStateException("attach mode: " + compose() + " has no spoke service such as postgres-fra");
        if (!code.equalsIgnoreCase(expectedCode)) {
            throw new IllegalStateException("attach mode: the feature verifies spoke " + expectedCode + ", but " + compose() + " deploys spoke "
                    + code.toUpperCase());
        }
        String project = project(plan);
        Map<String, Attach.Seen> running = Attach.containers(project);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ServiceSpec s : plan.services().values()) {
            Attach.Seen c = running.get(s.key());
            if (c == null || s.ports().isEmpty()) continue;
            Integer port = Attach.hostPort(c.id(), s.ports().get(0).containerPort());
            if (port != null) ports.put(s.key().substring(0, s.key().length() - code.length() - 1), port);
        }
        instance = Instance.ofDeployed(dir, InstanceCode.of(code.toUpperCase()), code.toUpperCase(), ports);
        return instance;
    }

    private static String project(DeploymentPlan plan) {
        String p = System.getProperty("dive.attach.project");
        return p == null || p.isBlank() ? plan.project() : p;
    }

    /** The running deployment, attached once per run; never changed or removed. */
    static synchronized Deployment deployment(Instance i) {
        if (deployment == null) {
            DeploymentPlan plan = ComposeLoader.load(compose(), i.env().read());
            deployment = Attach.to(plan, project(plan));
        }
        return deployment;
    }
}
