package dive.verify.template;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads the compose subset that the deployer supports into a {@link DeploymentPlan}.
 * Any key it does not support is refused, naming the service and the key:
 * a silently ignored key is how a deployment quietly differs from its template.
 * Values are interpolated ({@link Interpolator}) after parsing, so a secret
 * containing YAML syntax cannot change the document's structure.
 */
public final class ComposeLoader {

    static final Set<String> TOP_LEVEL_KEYS = Set.of("name", "services", "networks", "volumes", "version");
    static final Set<String> SERVICE_KEYS = Set.of("image", "container_name", "command", "entrypoint",
            "environment", "env_file", "ports", "expose", "healthcheck", "depends_on", "volumes", "networks",
            "labels", "restart", "user", "working_dir", "tmpfs", "post_start");
    static final Set<String> HEALTHCHECK_KEYS = Set.of("test", "interval", "timeout", "retries", "start_period", "disable");
    static final Set<String> DEPENDS_CONDITIONS = Set.of("service_started", "service_healthy", "service_completed_successfully");

    private final Path file;
    private final String fileName;
    private final Interpolator interpolator;

    private ComposeLoader(Path file, Function<String, String> variables) {
        this.file = file;
        this.fileName = file.toString();
        this.interpolator = new Interpolator(variables);
    }

    /** Loads {@code file}, interpolating with {@code variables} (usually the instance's .env). */
    public static DeploymentPlan load(Path file, Map<String, String> variables) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new TemplateException(file.toString(), 0, "cannot read compose file: " + e.getMessage());
        }
        return new ComposeLoader(file, variables::get).parse(text);
    }

    private DeploymentPlan parse(String text) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new TemplateException(fileName, line, "malformed YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new TemplateException(fileName, 0, "malformed YAML: " + e.getMessage());
        }
        if (!(root instanceof MappingNode top)) {
            throw new TemplateException(fileName, root == null ? 0 : line(root), "expected a compose document (a mapping with services:)");
        }
        String project = null;
        Map<String, ServiceSpec> services = new LinkedHashMap<>();
        Map<String, DeploymentPlan.NetworkSpec> networks = new LinkedHashMap<>();
        Map<String, DeploymentPlan.VolumeSpec> volumes = new LinkedHashMap<>();
        MappingNode servicesNode = null;
        for (NodeTuple t : top.getValue()) {
            String key = keyOf(t);
            switch (key) {
                case "name" -> project = scalar(t.getValueNode(), "name");
                case "version" -> { /* obsolete in compose, accepted and ignored as compose does */ }
                case "services" -> servicesNode = mapping(t.getValueNode(), "services");
                case "networks" -> networks = networks(t.getValueNode());
                case "volumes" -> volumes = volumes(t.getValueNode());
                default -> {
                    if (!key.startsWith("x-")) {
                        throw new TemplateException(fileName, line(t.getKeyNode()),
                                "unsupported top-level key \"" + key + "\"; supported: " + TOP_LEVEL_KEYS + " and x-* extensions");
                    }
                }
            }
        }
        if (servicesNode == null) throw new TemplateException(fileName, 0, "no services: section");
        for (NodeTuple t : servicesNode.getValue()) {
            String key = keyOf(t);
            services.put(key, service(key, mapping(t.getValueNode(), "service " + key), networks, volumes));
        }
        for (ServiceSpec s : services.values()) {
            for (String dep : s.dependsOn().keySet()) {
                if (!services.containsKey(dep)) {
                    throw new TemplateException(fileName, 0, "service " + s.key() + ": depends_on names unknown service \"" + dep + "\"");
                }
            }
        }
        if (project == null) project = file.getParent() == null ? "dive" : file.getParent().getFileName().toString();
        return new DeploymentPlan(project, file, services, networks, volumes, Set.copyOf(interpolator.unsetVariables()));
    }

    private ServiceSpec service(String key, MappingNode node, Map<String, DeploymentPlan.NetworkSpec> declaredNetworks,
                                Map<String, DeploymentPlan.VolumeSpec> declaredVolumes) {
        String image = null, containerName = null, restart = null, user = null, workingDir = null;
        List<String> command = null, entrypoint = null, tmpfs = List.of();
        List<List<String>> postStart = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>(), labels = new LinkedHashMap<>(), dependsOn = new LinkedHashMap<>();
        List<PortMapping> ports = new ArrayList<>();
        List<Integer> expose = new ArrayList<>();
        HealthcheckSpec healthcheck = null;
        List<VolumeMount> mounts = new ArrayList<>();
        Map<String, List<String>> nets = new LinkedHashMap<>();
        Map<String, String> fromEnvFiles = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            String k = keyOf(t);
            Node v = t.getValueNode();
            String what = "service " + key + ", " + k;
            switch (k) {
                case "image" -> image = scalar(v, what);
                case "container_name" -> containerName = scalar(v, what);
                case "command" -> command = commandLine(v, what);
                case "entrypoint" -> entrypoint = commandLine(v, what);
                case "environment" -> env.putAll(keyValues(v, what));
                case "env_file" -> {
                    List<String> files = v instanceof ScalarNode ? List.of(scalar(v, what)) : strings(v, what);
                    for (String f : files) fromEnvFiles.putAll(EnvFiles.read(resolve(f), fileName, line(v)));
                }
                case "ports" -> { for (Node p : sequence(v, what).getValue()) ports.add(port(scalar(p, what), line(p), key)); }
                case "expose" -> { for (String e : strings(v, what)) expose.add(portNumber(e.replace("/tcp", ""), line(v), key)); }
                case "healthcheck" -> healthcheck = healthcheck(mapping(v, what), key);
                case "depends_on" -> dependsOn.putAll(dependsOn(v, key));
                case "volumes" -> { for (Node m : sequence(v, what).getValue()) mounts.add(volume(scalar(m, what), line(m), key, declaredVolumes)); }
                case "networks" -> nets.putAll(serviceNetworks(v, key, declaredNetworks));
                case "labels" -> labels.putAll(keyValues(v, what));
                case "restart" -> restart = scalar(v, what);
                case "user" -> user = scalar(v, what);
                case "working_dir" -> workingDir = scalar(v, what);
                case "tmpfs" -> tmpfs = v instanceof ScalarNode ? List.of(scalar(v, what)) : strings(v, what);
                case "post_start" -> {
                    for (Node hook : sequence(v, what).getValue()) {
                        for (NodeTuple h : mapping(hook, what).getValue()) {
                            if (!keyOf(h).equals("command")) {
                                throw new TemplateException(fileName, line(h.getKeyNode()), "service " + key
                                        + ": unsupported post_start key \"" + keyOf(h) + "\"; supported: command");
                            }
                            postStart.add(commandLine(h.getValueNode(), what + ".command"));
                        }
                    }
                }
                default -> throw new TemplateException(fileName, line(t.getKeyNode()),
                        "service " + key + ": unsupported key \"" + k + "\"; supported keys are " + new java.util.TreeSet<>(SERVICE_KEYS));
            }
        }
        if (image == null || image.isBlank()) {
            throw new TemplateException(fileName, line(node), "service " + key + ": no image");
        }
        // environment: entries win over env_file entries, as in compose
        Map<String, String> environment = new LinkedHashMap<>(fromEnvFiles);
        environment.putAll(env);
        int stage = 0;
        String stageLabel = labels.get(ServiceSpec.STAGE_LABEL);
        if (stageLabel != null) {
            try {
                stage = Integer.parseInt(stageLabel.trim());
                if (stage < 1) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new TemplateException(fileName, line(node), "service " + key + ": label " + ServiceSpec.STAGE_LABEL
                        + " must be a stage number 1, 2, 3 …, was \"" + stageLabel + "\"");
            }
        }
        Duration budget = null;
        String budgetLabel = labels.get(ServiceSpec.BUDGET_LABEL);
        if (budgetLabel != null) budget = duration(budgetLabel.matches("\\d+") ? budgetLabel + "s" : budgetLabel, line(node), key);
        ServiceSpec probe = new ServiceSpec(key, image, containerName, command, entrypoint, environment, ports, expose,
                healthcheck, dependsOn, mounts, nets, labels, restart, user, workingDir, tmpfs, postStart, stage, null, false);
        if (budget == null) budget = StartBudgets.forKind(probe.kind());
        boolean oneShot = Boolean.parseBoolean(labels.getOrDefault(ServiceSpec.ONE_SHOT_LABEL, "false"));
        if (nets.isEmpty()) nets.put("default", List.of());
        return new ServiceSpec(key, image, containerName, command, entrypoint, environment, ports, expose,
                healthcheck, dependsOn, mounts, nets, labels, restart, user, workingDir, tmpfs, postStart, stage, budget, oneShot);
    }

    // ---------------------------------------------------------------- pieces

    private HealthcheckSpec healthcheck(MappingNode node, String service) {
        List<String> test = null;
        Duration interval = HealthcheckSpec.DEFAULT_INTERVAL, timeout = HealthcheckSpec.DEFAULT_TIMEOUT, start = Duration.ZERO;
        int retries = HealthcheckSpec.DEFAULT_RETRIES;
        boolean disabled = false;
        for (NodeTuple t : node.getValue()) {
            String k = keyOf(t);
            Node v = t.getValueNode();
            String what = "service " + service + ", healthcheck." + k;
            switch (k) {
                case "test" -> {
                    if (v instanceof ScalarNode) {
                        test = List.of("CMD-SHELL", scalar(v, what));
                    } else {
                        test = strings(v, what);
                        if (test.isEmpty() || !Set.of("CMD", "CMD-SHELL", "NONE").contains(test.get(0))) {
                            throw new TemplateException(fileName, line(v), what + ": a list test must start with CMD, CMD-SHELL or NONE");
                        }
                        if (test.get(0).equals("NONE")) disabled = true;
                    }
                }
                case "interval" -> interval = duration(scalar(v, what), line(v), service);
                case "timeout" -> timeout = duration(scalar(v, what), line(v), service);
                case "start_period" -> start = duration(scalar(v, what), line(v), service);
                case "retries" -> retries = portNumber(scalar(v, what), line(v), service);
                case "disable" -> disabled = Boolean.parseBoolean(scalar(v, what));
                default -> throw new TemplateException(fileName, line(t.getKeyNode()),
                        "service " + service + ": unsupported healthcheck key \"" + k + "\"; supported: " + HEALTHCHECK_KEYS);
            }
        }
        if (disabled) return null;
        if (test == null) throw new TemplateException(fileName, line(node), "service " + service + ": healthcheck without test");
        return new HealthcheckSpec(test, interval, timeout, retries, start);
    }

    private Map<String, String> dependsOn(Node v, String service) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof SequenceNode) {
            for (String s : strings(v, "service " + service + ", depends_on")) out.put(s, "service_started");
            return out;
        }
        for (NodeTuple t : mapping(v, "service " + service + ", depends_on").getValue()) {
            String dep = keyOf(t);
            String condition = "service_started";
            for (NodeTuple c : mapping(t.getValueNode(), "depends_on." + dep).getValue()) {
                String ck = keyOf(c);
                if (ck.equals("condition")) condition = scalar(c.getValueNode(), "condition");
                else if (!ck.equals("required") && !ck.equals("restart")) {
                    throw new TemplateException(fileName, line(c.getKeyNode()), "service " + service
                            + ": unsupported depends_on key \"" + ck + "\"; supported: condition");
                }
            }
            if (!DEPENDS_CONDITIONS.contains(condition)) {
                throw new TemplateException(fileName, line(t.getValueNode()), "service " + service + ": depends_on "
                        + dep + " has condition \"" + condition + "\"; expected one of " + DEPENDS_CONDITIONS);
            }
            out.put(dep, condition);
        }
        return out;
    }

    private Map<String, List<String>> serviceNetworks(Node v, String service, Map<String, DeploymentPlan.NetworkSpec> declared) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (v instanceof SequenceNode) {
            for (String n : strings(v, "service " + service + ", networks")) out.put(checkNetwork(n, service, line(v), declared), List.of());
            return out;
        }
        for (NodeTuple t : mapping(v, "service " + service + ", networks").getValue()) {
            String net = checkNetwork(keyOf(t), service, line(t.getKeyNode()), declared);
            List<String> aliases = new ArrayList<>();
            if (t.getValueNode() instanceof MappingNode m) {
                for (NodeTuple a : m.getValue()) {
                    if (!keyOf(a).equals("aliases")) {
                        throw new TemplateException(fileName, line(a.getKeyNode()), "service " + service
                                + ": unsupported network key \"" + keyOf(a) + "\"; supported: aliases");
                    }
                    aliases.addAll(strings(a.getValueNode(), "aliases"));
                }
            }
            out.put(net, aliases);
        }
        return out;
    }

    private String checkNetwork(String net, String service, int line, Map<String, DeploymentPlan.NetworkSpec> declared) {
        if (!net.equals("default") && !declared.containsKey(net)) {
            throw new TemplateException(fileName, line, "service " + service + ": network \"" + net
                    + "\" is not declared under top-level networks: " + declared.keySet());
        }
        return net;
    }

    private Map<String, DeploymentPlan.NetworkSpec> networks(Node v) {
        Map<String, DeploymentPlan.NetworkSpec> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping(v, "networks").getValue()) {
            String key = keyOf(t);
            String name = null;
            boolean external = false, internal = false;
            if (t.getValueNode() instanceof MappingNode m) {
                for (NodeTuple a : m.getValue()) {
                    String k = keyOf(a);
                    switch (k) {
                        case "name" -> name = scalar(a.getValueNode(), "networks." + key + ".name");
                        case "external" -> external = Boolean.parseBoolean(scalar(a.getValueNode(), "external"));
                        case "internal" -> internal = Boolean.parseBoolean(scalar(a.getValueNode(), "internal"));
                        case "driver" -> {
                            String d = scalar(a.getValueNode(), "driver");
                            if (!d.equals("bridge")) throw new TemplateException(fileName, line(a.getValueNode()), "network " + key + ": only the bridge driver is supported, not \"" + d + "\"");
                        }
                        default -> throw new TemplateException(fileName, line(a.getKeyNode()), "network " + key
                                + ": unsupported key \"" + k + "\"; supported: name, external, internal, driver");
                    }
                }
            }
            out.put(key, new DeploymentPlan.NetworkSpec(key, name, external, internal));
        }
        return out;
    }

    private Map<String, DeploymentPlan.VolumeSpec> volumes(Node v) {
        Map<String, DeploymentPlan.VolumeSpec> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping(v, "volumes").getValue()) {
            String key = keyOf(t);
            String name = null;
            boolean external = false;
            if (t.getValueNode() instanceof MappingNode m) {
                for (NodeTuple a : m.getValue()) {
                    String k = keyOf(a);
                    switch (k) {
                        case "name" -> name = scalar(a.getValueNode(), "volumes." + key + ".name");
                        case "external" -> external = Boolean.parseBoolean(scalar(a.getValueNode(), "external"));
                        default -> throw new TemplateException(fileName, line(a.getKeyNode()), "volume " + key
                                + ": unsupported key \"" + k + "\"; supported: name, external");
                    }
                }
            }
            out.put(key, new DeploymentPlan.VolumeSpec(key, name, external));
        }
        return out;
    }

    private PortMapping port(String spec, int line, String service) {
        String s = spec.trim();
        String protocol = "tcp";
        int slash = s.indexOf('/');
        if (slash >= 0) { protocol = s.substring(slash + 1); s = s.substring(0, slash); }
        String[] parts = s.split(":");
        try {
            return switch (parts.length) {
                case 1 -> new PortMapping(null, 0, Integer.parseInt(parts[0]), protocol);
                case 2 -> new PortMapping(null, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), protocol);
                case 3 -> new PortMapping(parts[0], parts[1].isEmpty() ? 0 : Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), protocol);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException e) {
            throw new TemplateException(fileName, line, "service " + service + ": port \"" + spec
                    + "\" is not of the form [HOST_IP:]HOST_PORT:CONTAINER_PORT or CONTAINER_PORT (ranges are not supported)");
        }
    }

    private VolumeMount volume(String spec, int line, String service, Map<String, DeploymentPlan.VolumeSpec> declared) {
        String[] parts = spec.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new TemplateException(fileName, line, "service " + service + ": volume \"" + spec + "\" is not of the form SOURCE:TARGET[:ro]");
        }
        boolean ro = false;
        if (parts.length == 3) {
            if (parts[2].equals("ro")) ro = true;
            else if (!parts[2].equals("rw")) throw new TemplateException(fileName, line, "service " + service + ": volume mode \"" + parts[2] + "\" is not ro or rw");
        }
        String source = parts[0];
        if (source.startsWith(".") || source.startsWith("/") || source.startsWith("~")) {
            Path p = resolve(source);
            if (!Files.exists(p)) {
                throw new TemplateException(fileName, line, "service " + service + ": bind mount source " + p + " does not exist");
            }
            return new VolumeMount(false, p.toString(), parts[1], ro);
        }
        if (!declared.containsKey(source)) {
            throw new TemplateException(fileName, line, "service " + service + ": named volume \"" + source
                    + "\" is not declared under top-level volumes: " + declared.keySet());
        }
        return new VolumeMount(true, source, parts[1], ro);
    }

    private Path resolve(String relative) {
        if (relative.startsWith("~")) relative = System.getProperty("user.home") + relative.substring(1);
        Path base = file.toAbsolutePath().getParent();
        return base.resolve(relative).normalize();
    }

    private Duration duration(String text, int line, String service) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TemplateException(fileName, line, "service " + service + ": \"" + text + "\" is not a duration like 5s, 1m30s or 500ms");
        }
    }

    private int portNumber(String text, int line, String service) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new TemplateException(fileName, line, "service " + service + ": \"" + text + "\" is not a number");
        }
    }

    private List<String> commandLine(Node v, String what) {
        if (v instanceof ScalarNode) return ShellWords.split(scalar(v, what));
        return strings(v, what);
    }

    private Map<String, String> keyValues(Node v, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                String s = scalar(item, what);
                int eq = s.indexOf('=');
                if (eq < 0) out.put(s, ""); else out.put(s.substring(0, eq), s.substring(eq + 1));
            }
            return out;
        }
        for (NodeTuple t : mapping(v, what).getValue()) {
            Node val = t.getValueNode();
            boolean isNull = val instanceof ScalarNode sn && sn.getTag().getValue().endsWith(":null");
            out.put(keyOf(t), isNull ? "" : scalar(val, what + "." + keyOf(t)));
        }
        return out;
    }

    private List<String> strings(Node v, String what) {
        List<String> out = new ArrayList<>();
        for (Node n : sequence(v, what).getValue()) out.add(scalar(n, what));
        return out;
    }

    private String keyOf(NodeTuple t) {
        if (!(t.getKeyNode() instanceof ScalarNode s)) throw new TemplateException(fileName, line(t.getKeyNode()), "expected a plain key");
        return s.getValue();
    }

    private String scalar(Node n, String what) {
        if (!(n instanceof ScalarNode s)) {
            throw new TemplateException(fileName, line(n), what + ": expected a single value, found a " + kindOf(n));
        }
        return interpolator.interpolate(s.getValue(), new Interpolator.Location(fileName, line(n)));
    }

    private MappingNode mapping(Node n, String what) {
        if (n instanceof MappingNode m) return m;
        throw new TemplateException(fileName, line(n), what + ": expected a mapping, found a " + kindOf(n));
    }

    private SequenceNode sequence(Node n, String what) {
        if (n instanceof SequenceNode s) return s;
        throw new TemplateException(fileName, line(n), what + ": expected a list, found a " + kindOf(n));
    }

    private static String kindOf(Node n) {
        return n instanceof MappingNode ? "mapping" : n instanceof SequenceNode ? "list" : "value";
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }
}
