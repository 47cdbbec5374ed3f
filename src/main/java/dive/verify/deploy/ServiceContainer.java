package dive.verify.deploy;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import dive.verify.template.HealthcheckSpec;
import dive.verify.template.HostSettings;
import dive.verify.template.PortMapping;
import dive.verify.template.ServiceSpec;
import dive.verify.template.VolumeMount;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One service of a template as a Testcontainers container: name, networks
 * with aliases, published ports, environment, healthcheck, volumes, labels and
 * host settings (extra hosts, init, capabilities, limits) exactly as the template says. Readiness is judged by {@link ReadinessWait},
 * not by Testcontainers' wait strategies, so that an exit or a restart ends
 * the wait at once with the container's last lines.
 */
final class ServiceContainer extends GenericContainer<ServiceContainer> implements ServiceHandle {
    private final ServiceSpec spec;
    private final ContainerLog log;
    private final Map<String, NamedNetwork> networks;

    ServiceContainer(ServiceSpec spec, Map<String, NamedNetwork> networks, Map<String, String> volumeNames,
                     Map<String, String> labels, ContainerLog log) {
        super(DockerImageName.parse(spec.image()));
        this.spec = spec;
        this.log = log;
        this.networks = networks;
        withImagePullPolicy(image -> false); // the kit builds images; nothing is pulled
        withStartupCheckStrategy(new CreatedIsEnough());
        waitingFor(new NoWait());
        Map<String, String> allLabels = new HashMap<>(spec.labels());
        allLabels.putAll(labels);
        allLabels.put(RunContext.SERVICE_LABEL, spec.key());
        withLabels(allLabels);
        withEnv(spec.environment());
        if (spec.command() != null) withCommand(spec.command().toArray(String[]::new));
        withLogConsumer(log);

        // First network at create (API 1.41 allows one); the others in containerIsCreated().
        var first = spec.networks().entrySet().iterator().next();
        withNetwork(networks.get(first.getKey()));
        List<String> aliases = new ArrayList<>(first.getValue());
        aliases.add(spec.key());
        withNetworkAliases(aliases.toArray(String[]::new));

        withCreateContainerCmdModifier(cmd -> customize(cmd, volumeNames));
    }

    private void customize(CreateContainerCmd cmd, Map<String, String> volumeNames) {
        if (RunContext.current().keep() != RunContext.Keep.NEVER) cmd.withLabels(new WithoutSessionMarker(cmd.getLabels()));
        if (spec.containerName() != null) cmd.withName(spec.containerName());
        if (spec.entrypoint() != null) {
            cmd.withEntrypoint(spec.entrypoint());
            if (spec.command() == null) cmd.withCmd(List.of()); // compose: entrypoint clears the image's CMD
        }
        if (spec.user() != null) cmd.withUser(spec.user());
        if (spec.workingDir() != null) cmd.withWorkingDir(spec.workingDir());
        HealthcheckSpec hc = spec.healthcheck();
        if (hc != null) {
            cmd.withHealthcheck(new HealthCheck().withTest(hc.test())
                    .withInterval(hc.interval().toNanos()).withTimeout(hc.timeout().toNanos())
                    .withRetries(hc.retries()).withStartPeriod(hc.startPeriod().toNanos()));
        }
        var host = cmd.getHostConfig();
        List<ExposedPort> exposed = new ArrayList<>();
        Ports bindings = new Ports();
        for (PortMapping p : spec.ports()) {
            ExposedPort ep = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
            exposed.add(ep);
            if (p.hostPort() > 0) {
                bindings.bind(ep, p.hostIp() == null ? Ports.Binding.bindPort(p.hostPort())
                        : Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()));
            } else {
                // published on a port the engine picks
                bindings.bind(ep, p.hostIp() == null ? Ports.Binding.empty() : Ports.Binding.bindIp(p.hostIp()));
            }
        }
        for (int e : spec.expose()) exposed.add(ExposedPort.tcp(e));
        if (!exposed.isEmpty()) cmd.withExposedPorts(exposed);
        host.withPortBindings(bindings);
        List<Bind> binds = new ArrayList<>();
        for (VolumeMount v : spec.volumes()) {
            String source = v.named() ? volumeNames.get(v.source()) : v.source();
            binds.add(new Bind(source, new Volume(v.target()), v.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        host.withBinds(binds);
        if (!spec.tmpfs().isEmpty()) {
            Map<String, String> tmpfs = new HashMap<>();
            for (String t : spec.tmpfs()) {
                int colon = t.indexOf(':');
                tmpfs.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
            }
            host.withTmpFs(tmpfs);
        }
        if (spec.restart() != null) host.withRestartPolicy(restartPolicy(spec.restart()));
        hostSettings(host, spec.host());
    }

    /** extra_hosts, init, cap_add/cap_drop and the memory and CPU limits, as the engine takes them. */
    static void hostSettings(HostConfig host, HostSettings s) {
        if (!s.extraHosts().isEmpty()) host.withExtraHosts(s.extraHosts().toArray(String[]::new));
        if (s.init() != null) host.withInit(s.init());
        if (!s.capAdd().isEmpty()) host.withCapAdd(s.capAdd().stream().map(Capability::valueOf).toArray(Capability[]::new));
        if (!s.capDrop().isEmpty()) host.withCapDrop(s.capDrop().stream().map(Capability::valueOf).toArray(Capability[]::new));
        if (s.memoryBytes() != null) host.withMemory(s.memoryBytes());
        if (s.nanoCpus() != null) host.withNanoCPUs(s.nanoCpus());
    }

    private static RestartPolicy restartPolicy(String r) {
        return switch (r) {
            case "always" -> RestartPolicy.alwaysRestart();
            case "unless-stopped" -> RestartPolicy.unlessStoppedRestart();
            case "no" -> RestartPolicy.noRestart();
            default -> r.startsWith("on-failure") ? RestartPolicy.parse(r) : RestartPolicy.noRestart();
        };
    }

    @Override
    protected void containerIsCreated(String containerId) {
        // Join the remaining networks before the process starts, with their aliases.
        boolean first = true;
        for (var e : spec.networks().entrySet()) {
            if (first) { first = false; continue; }
            List<String> aliases = new ArrayList<>(e.getValue());
            aliases.add(spec.key());
            Docker.client().connectToNetworkCmd().withContainerId(containerId)
                    .withNetworkId(networks.get(e.getKey()).getId())
                    .withContainerNetwork(new ContainerNetwork().withAliases(aliases)).exec();
        }
    }

    @Override public ServiceSpec spec() { return spec; }

    @Override public ContainerLog log() { return log; }

    @Override public String containerId() { return getContainerId(); }

    /** Asked of the engine each time (Testcontainers' own answer comes from the state at start). */
    @Override
    public boolean isRunning() {
        if (getContainerId() == null) return false;
        try {
            return Boolean.TRUE.equals(Docker.client().inspectContainerCmd(getContainerId()).exec().getState().getRunning());
        } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
            return false;
        }
    }

    @Override
    public org.testcontainers.containers.Container.ExecResult exec(String... command) throws Exception {
        return execInContainer(command);
    }

    /**
     * Testcontainers marks each container with its JVM session and, with Ryuk
     * disabled (as on this machine), removes every container so marked when
     * the JVM exits. A deployment the user asked to keep must outlive the JVM,
     * so its containers do not take the marker; our own labels, teardown and
     * sweep look after them instead.
     */
    private static final class WithoutSessionMarker extends HashMap<String, String> {
        private static final String SESSION_LABEL = "org.testcontainers.sessionId";

        WithoutSessionMarker(Map<String, String> labels) {
            if (labels != null) putAll(labels);
        }

        @Override
        public String put(String key, String value) {
            return SESSION_LABEL.equals(key) ? null : super.put(key, value);
        }

        @Override
        public void putAll(Map<? extends String, ? extends String> m) {
            m.forEach(this::put);
        }
    }

    /**
     * Testcontainers' own check would wait for "running"; ours judges readiness itself. Its
     * {@code waitUntilStartupSuccessful} also passes every container of the JVM through one
     * rate limiter of one call per second before it asks anything: measured, each start
     * returned on the same second's tick, and four services started together returned
     * up to a second late. There is nothing to wait for here, so nothing is asked.
     */
    private static final class CreatedIsEnough extends StartupCheckStrategy {
        @Override
        public boolean waitUntilStartupSuccessful(GenericContainer<?> container) {
            return true;
        }

        @Override
        public boolean waitUntilStartupSuccessful(com.github.dockerjava.api.DockerClient docker, String containerId) {
            return true;
        }

        @Override
        public StartupStatus checkStartupState(com.github.dockerjava.api.DockerClient docker, String containerId) {
            return StartupStatus.SUCCESSFUL;
        }
    }

    private static final class NoWait extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() { }
    }
}
