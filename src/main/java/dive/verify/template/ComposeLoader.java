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
 * Every problem of a file is collected (file:line, service, key, why, what is
 * supported) and reported at once as {@link TemplateProblems}, so an operator
 * fixes a file in one round instead of one problem per run.
 * A file in which no service has a stage ({@value ServiceSpec#STAGE_LABEL}) is
 * refused, since it would start nothing, unless {@code oneStage} asks for every
 * service to form one stage. Values are interpolated ({@link Interpolator})
 * after parsing, so a secret containing YAML syntax cannot change the document's
 * structure.
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
    private final boolean oneStage;
    private final List<TemplateException> problems = new ArrayList<>();

    private ComposeLoader(Path file, Function<String, String> variables, boolean oneStage) {
        this.file = file;
        this.fileName = file.toString();
        this.interpolator = new Interpolator(variables);
        this.oneStage = oneStage;
    }

    /** Loads {@code file}, interpolating with {@code variables} (usually the instance's .env). */
    public static DeploymentPlan load(Path file, Map<String, String> variables) {
        return load(file, variables, false);
    }

    /**
     * Loads {@code file}; with {@code oneStage} every service forms stage 1, whatever its
     * {@value ServiceSpec#STAGE_LABEL} label says.
     *
     * @throws TemplateProblems every problem of the file, when it has any
     */
    public static DeploymentPlan load(Path file, Map<String, String> variables, boolean oneStage) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new TemplateProblems(file.toString(), List.of(new TemplateException(file.toString(), 0,
                    "cannot read compose file: " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()))));
        }
        return new ComposeLoader(file, variables::get, oneStage).parse(text);
    }

    /** Runs one part of the parse; a problem in it is recorded, and the parse goes on with the next part. */
    private void attempt(Runnable part) {
        try {
            part.run();
        } catch (TemplateProblems e) {
            problems.addAll(e.problems());
        } catch (TemplateException e) {
            problems.add(e);
        }
    }

    private void problem(int line, String message) {
        problems.add(new TemplateException(fileName, line, message));
    }

    private DeploymentPlan parse(String text) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new TemplateProblems(fileName, List.of(new TemplateException(fileName, line, "malformed YAML: " + e.getProblem())));
        } catch (YAMLException e) {
            throw new TemplateProblems(fileName, List.of(new TemplateException(fileName, 0, "malformed YAML: " + e.getMessage())));
        }
        if (!(root instanceof MappingNode top)) {
            throw new TemplateProblems(fileName, List.of(new TemplateException(fileName, root == null ? 0 : line(root),
                    "expected a compose document (a mapping with services:)")));
        }
        String[] project = {null};
        Map<String, ServiceSpec> services = new LinkedHashMap<>();
        Map<String, DeploymentPlan.NetworkSpec> networks = new LinkedHashMap<>();
        Map<String, DeploymentPlan.VolumeSpec> volumes = new LinkedHashMap<>();
        MappingNode[] servicesNode = {null};
        int[] servicesLine = {0};
        noDuplicates(top, "top level");
        for (NodeTuple t : top.getValue()) {
            attempt(() -> {
                String key = keyOf(t);
                switch (key) {
                    case "name" -> project[0] = scalar(t.getValueNode(), "name");
                    case "version" -> { /* obsolete in compose, accepted and ignored as compose does */ }
                    case "services" -> {
                        servicesLine[0] = line(t.getKeyNode());
                        servicesNode[0] = mapping(t.getValueNode(), "services");
                    }
                    case "networks" -> networks(t.getValueNode(), networks);
                    case "volumes" -> volumes(t.getValueNode(), volumes);
                    default -> {
                        if (!key.startsWith("x-")) {
                            throw new TemplateException(fileName, line(t.getKeyNode()),
                                    "unsupported top-level key \"" + key + "\"; supported: " + TOP_LEVEL_KEYS + " and x-* extensions");
                        }
                    }
                }
            });
        }
        Map<String, Boolean> hasStage = new LinkedHashMap<>();
        Map<String, Integer> dependsLines = new LinkedHashMap<>();
        if (servicesNode[0] == null) {
            if (top.getValue().stream().noneMatch(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals("services"))) {
                problem(0, "no services: section");
            }
        } else {
            noDuplicates(servicesNode[0], "services");
            for (NodeTuple t : servicesNode[0].getValue()) {
                attempt(() -> {
                    String key = keyOf(t);
                    MappingNode node = mapping(t.getValueNode(), "service " + key);
                    hasStage.put(key, hasLabel(node, ServiceSpec.STAGE_LABEL));
                    services.put(key, service(key, node, networks, volumes, dependsLines));
                });
            }
        }
        for (ServiceSpec s : services.values()) {
            for (String dep : s.dependsOn().keySet()) {
                if (!services.containsKey(dep) && !hasStage.containsKey(dep)) {
                    problem(dependsLines.getOrDefault(s.key() + "/" + dep, 0),
                            "service " + s.key() + ": depends_on names unknown service \"" + dep + "\"; services are " + hasStage.keySet());
                }
            }
        }
        if (!oneStage && !hasStage.isEmpty() && !hasStage.containsValue(true)) {
            problem(servicesLine[0], "no service has a deployment stage (label " + ServiceSpec.STAGE_LABEL + "), so none would be started: "
                    + String.join(", ", hasStage.keySet()) + "; give each service a stage (" + ServiceSpec.STAGE_LABEL
                    + ": \"1\", \"2\", ...), or deploy with --one-stage to start them all as one stage");
        } else if (servicesNode[0] != null && hasStage.isEmpty() && services.isEmpty() && problems.isEmpty()) {
            problem(servicesLine[0], "services: declares no service, so nothing would be deployed");
        }
        if (!problems.isEmpty()) {
            // in the order of the file (stable: one line's problems keep the order they were found in), other files' last
            problems.sort(java.util.Comparator.comparing((TemplateException p) -> !fileName.equals(p.file()))
                    .thenComparingInt(TemplateException::line));
            throw new TemplateProblems(fileName, problems);
        }
        String name = project[0];
        if (name == null) name = file.getParent() == null ? "dive" : file.getParent().getFileName().toString();
        return new DeploymentPlan(name, file, services, networks, volumes, Set.copyOf(interpolator.unsetVariables()));
    }

    /** Whether a service's mapping declares {@code label}, in either form of labels:, before interpolation. */
    private static boolean hasLabel(MappingNode service, String label) {
        for (NodeTuple t : service.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || !k.getValue().equals("labels")) continue;
            if (t.getValueNode() instanceof MappingNode m) {
                return m.getValue().stream().anyMatch(l -> l.getKeyNode() instanceof ScalarNode s && s.getValue().equals(label));
            }
            if (t.getValueNode() instanceof SequenceNode seq) {
                return seq.getValue().stream().anyMatch(n -> n instanceof ScalarNode s
                        && (s.getValue().equals(label) || s.getValue().startsWith(label + "=")));
            }
        }
        return false;
    }

    /** The line of a service's label {@code label}, or of the service when it cannot be told. */
    private static int labelLine(MappingNode service, String label) {
        for (NodeTuple t : service.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || !k.getValue().equals("labels")) continue;
            if (t.getValueNode() instanceof MappingNode m) {
                for (NodeTuple l : m.getValue()) {
                    if (l.getKeyNode() instanceof ScalarNode s && s.getValue().equals(label)) return line(l.getKeyNode());
                }
            } else if (t.getValueNode() instanceof SequenceNode seq) {
                for (Node n : seq.getValue()) {
                    if (n instanceof ScalarNode s && s.getValue().startsWith(label + "=")) return line(n);
                }
            }
        }
        return line(service);
    }

    /** A key given twice in one mapping: YAML forbids it, and the second would silently win. */
    private void noDuplicates(MappingNode node, String what) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) continue;
            Integer first = seen.putIfAbsent(k.getValue(), line(k));
            if (first != null) {
                problem(line(k), what + ": key \"" + k.getValue() + "\" is given twice (first on line " + first + "); give it once");
            }
        }
    }

    private ServiceSpec service(String key, MappingNode node, Map<String, DeploymentPlan.NetworkSpec> declaredNetworks,
                                Map<String, DeploymentPlan.VolumeSpec> declaredVolumes, Map<String, Integer> dependsLines) {
        String[] one = new String[5]; // image, container_name, restart, user, working_dir
        List<List<String>> commandAndEntrypoint = new ArrayList<>(java.util.Arrays.asList(null, null));
        List<String> tmpfs = new ArrayList<>();
        List<List<String>> postStart = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>(), labels = new LinkedHashMap<>(), dependsOn = new LinkedHashMap<>();
        List<PortMapping> ports = new ArrayList<>();
        List<Integer> expose = new ArrayList<>();
        HealthcheckSpec[] healthcheck = {null};
        List<VolumeMount> mounts = new ArrayList<>();
        Map<String, List<String>> nets = new LinkedHashMap<>();
        Map<String, String> fromEnvFiles = new LinkedHashMap<>();
        noDuplicates(node, "service " + key);
        for (NodeTuple t : node.getValue()) {
            attempt(() -> {
                String k = keyOf(t);
                Node v = t.getValueNode();
                String what = "service " + key + ", " + k;
                switch (k) {
                    case "image" -> one[0] = scalar(v, what);
                    case "container_name" -> one[1] = scalar(v, what);
                    case "command" -> commandAndEntrypoint.set(0, commandLine(v, what));
                    case "entrypoint" -> commandAndEntrypoint.set(1, commandLine(v, what));
                    case "environment" -> env.putAll(keyValues(v, what));
                    case "env_file" -> {
                        List<String> files = v instanceof ScalarNode ? List.of(scalar(v, what)) : strings(v, what);
                        for (String f : files) attempt(() -> fromEnvFiles.putAll(EnvFiles.read(resolve(f), fileName, line(v))));
                    }
                    case "ports" -> {
                        for (Node p : sequence(v, what).getValue()) attempt(() -> ports.add(port(scalar(p, what), line(p), key)));
                    }
                    case "expose" -> {
                        for (Node e : sequence(v, what).getValue()) {
                            attempt(() -> expose.add(portNumber(scalar(e, what).replace("/tcp", ""), line(e), key)));
                        }
                    }
                    case "healthcheck" -> healthcheck[0] = healthcheck(mapping(v, what), key);
                    case "depends_on" -> dependsOn.putAll(dependsOn(v, key, dependsLines));
                    case "volumes" -> {
                        for (Node m : sequence(v, what).getValue()) {
                            attempt(() -> mounts.add(volume(scalar(m, what), line(m), key, declaredVolumes)));
                        }
                    }
                    case "networks" -> nets.putAll(serviceNetworks(v, key, declaredNetworks));
                    case "labels" -> labels.putAll(keyValues(v, what));
                    case "restart" -> {
                        // a misspelt policy must not quietly become "no restart"
                        String r = scalar(v, what);
                        if (!r.matches("no|always|unless-stopped|on-failure(:[1-9][0-9]*)?")) {
                            throw new TemplateException(fileName, line(v), "service " + key + ": restart \"" + r
                                    + "\" is not a restart policy; expected no, always, unless-stopped, on-failure or on-failure:N");
                        }
                        one[2] = r;
                    }
                    case "user" -> one[3] = scalar(v, what);
                    case "working_dir" -> one[4] = scalar(v, what);
                    case "tmpfs" -> tmpfs.addAll(v instanceof ScalarNode ? List.of(scalar(v, what)) : strings(v, what));
                    case "post_start" -> {
                        for (Node hook : sequence(v, what).getValue()) {
                            for (NodeTuple h : mapping(hook, what).getValue()) {
                                attempt(() -> {
                                    if (!keyOf(h).equals("command")) {
                                        throw new TemplateException(fileName, line(h.getKeyNode()), "service " + key
                                                + ": unsupported post_start key \"" + keyOf(h) + "\"; supported: command");
                                    }
                                    postStart.add(commandLine(h.getValueNode(), what + ".command"));
                                });
                            }
                        }
                    }
                    default -> throw new TemplateException(fileName, line(t.getKeyNode()),
                            "service " + key + ": unsupported key \"" + k + "\"; supported keys are " + new java.util.TreeSet<>(SERVICE_KEYS));
                }
            });
        }
        String image = one[0];
        boolean imageGiven = node.getValue().stream().anyMatch(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals("image"));
        if (image == null ? !imageGiven : image.isBlank()) {
            problem(line(node), "service " + key + ": no image");
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
                problem(labelLine(node, ServiceSpec.STAGE_LABEL), "service " + key + ": label " + ServiceSpec.STAGE_LABEL
                        + " must be a stage number 1, 2, 3 …, was \"" + stageLabel + "\"");
                stage = 0;
            }
        }
        if (oneStage) stage = 1;
        Duration budget = null;
        String budgetLabel = labels.get(ServiceSpec.BUDGET_LABEL);
        if (budgetLabel != null) {
            try {
                budget = duration(budgetLabel.matches("\\d+") ? budgetLabel + "s" : budgetLabel, labelLine(node, ServiceSpec.BUDGET_LABEL), key);
            } catch (TemplateException e) {
                problems.add(e);
            }
        }
        List<String> command = commandAndEntrypoint.get(0), entrypoint = commandAndEntrypoint.get(1);
        ServiceSpec probe = new ServiceSpec(key, image, one[1], command, entrypoint, environment, ports, expose,
                healthcheck[0], dependsOn, mounts, nets, labels, one[2], one[3], one[4], List.copyOf(tmpfs), postStart, stage, null, false);
        if (budget == null) budget = StartBudgets.forKind(probe.kind());
        boolean oneShot = Boolean.parseBoolean(labels.getOrDefault(ServiceSpec.ONE_SHOT_LABEL, "false"));
        if (nets.isEmpty()) nets.put("default", List.of());
        return new ServiceSpec(key, image, one[1], command, entrypoint, environment, ports, expose,
                healthcheck[0], dependsOn, mounts, nets, labels, one[2], one[3], one[4], List.copyOf(tmpfs), postStart, stage, budget, oneShot);
    }

    // ---------------------------------------------------------------- pieces

    private HealthcheckSpec healthcheck(MappingNode node, String service) {
        List<List<String>> test = new ArrayList<>(java.util.Collections.singletonList(null));
        Duration[] durations = {HealthcheckSpec.DEFAULT_INTERVAL, HealthcheckSpec.DEFAULT_TIMEOUT, Duration.ZERO};
        int[] retries = {HealthcheckSpec.DEFAULT_RETRIES};
        boolean[] disabled = {false};
        noDuplicates(node, "service " + service + ", healthcheck");
        for (NodeTuple t : node.getValue()) {
            attempt(() -> {
                String k = keyOf(t);
                Node v = t.getValueNode();
                String what = "service " + service + ", healthcheck." + k;
                switch (k) {
                    case "test" -> {
                        if (v instanceof ScalarNode) {
                            test.set(0, List.of("CMD-SHELL", scalar(v, what)));
                        } else {
                            List<String> words = strings(v, what);
                            if (words.isEmpty() || !Set.of("CMD", "CMD-SHELL", "NONE").contains(words.get(0))) {
                                throw new TemplateException(fileName, line(v), what + ": a list test must start with CMD, CMD-SHELL or NONE");
                            }
                            test.set(0, words);
                            if (words.get(0).equals("NONE")) disabled[0] = true;
                        }
                    }
                    case "interval" -> durations[0] = duration(scalar(v, what), line(v), service);
                    case "timeout" -> durations[1] = duration(scalar(v, what), line(v), service);
                    case "start_period" -> durations[2] = duration(scalar(v, what), line(v), service);
                    case "retries" -> retries[0] = portNumber(scalar(v, what), line(v), service);
                    case "disable" -> disabled[0] = Boolean.parseBoolean(scalar(v, what));
                    default -> throw new TemplateException(fileName, line(t.getKeyNode()),
                            "service " + service + ": unsupported healthcheck key \"" + k + "\"; supported: " + HEALTHCHECK_KEYS);
                }
            });
        }
        if (disabled[0]) return null;
        boolean testGiven = node.getValue().stream().anyMatch(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals("test"));
        if (test.get(0) == null) {
            if (!testGiven) throw new TemplateException(fileName, line(node), "service " + service + ": healthcheck without test");
            return null; // its problem is recorded already
        }
        return new HealthcheckSpec(test.get(0), durations[0], durations[1], retries[0], durations[2]);
    }

    private Map<String, String> dependsOn(Node v, String service, Map<String, Integer> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) {
                attempt(() -> {
                    String dep = scalar(n, "service " + service + ", depends_on");
                    out.put(dep, "service_started");
                    lines.put(service + "/" + dep, line(n));
                });
            }
            return out;
        }
        for (NodeTuple t : mapping(v, "service " + service + ", depends_on").getValue()) {
            attempt(() -> {
                String dep = keyOf(t);
                lines.put(service + "/" + dep, line(t.getKeyNode()));
                String condition = "service_started";
                for (NodeTuple c : mapping(t.getValueNode(), "service " + service + ", depends_on." + dep).getValue()) {
                    String ck = keyOf(c);
                    if (ck.equals("condition")) condition = scalar(c.getValueNode(), "condition");
                    else if (!ck.equals("required") && !ck.equals("restart")) {
                        problem(line(c.getKeyNode()), "service " + service
                                + ": unsupported depends_on key \"" + ck + "\"; supported: condition");
                    }
                }
                if (!DEPENDS_CONDITIONS.contains(condition)) {
                    throw new TemplateException(fileName, line(t.getValueNode()), "service " + service + ": depends_on "
                            + dep + " has condition \"" + condition + "\"; expected one of " + DEPENDS_CONDITIONS);
                }
                out.put(dep, condition);
            });
        }
        return out;
    }

    private Map<String, List<String>> serviceNetworks(Node v, String service, Map<String, DeploymentPlan.NetworkSpec> declared) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (v instanceof SequenceNode seq) {
            for (Node n : seq.getValue()) {
                attempt(() -> out.put(checkNetwork(scalar(n, "service " + service + ", networks"), service, line(n), declared), List.of()));
            }
            return out;
        }
        for (NodeTuple t : mapping(v, "service " + service + ", networks").getValue()) {
            attempt(() -> {
                String net = checkNetwork(keyOf(t), service, line(t.getKeyNode()), declared);
                List<String> aliases = new ArrayList<>();
                if (t.getValueNode() instanceof MappingNode m) {
                    for (NodeTuple a : m.getValue()) {
                        attempt(() -> {
                            if (!keyOf(a).equals("aliases")) {
                                throw new TemplateException(fileName, line(a.getKeyNode()), "service " + service
                                        + ": unsupported network key \"" + keyOf(a) + "\"; supported: aliases");
                            }
                            aliases.addAll(strings(a.getValueNode(), "service " + service + ", networks." + net + ".aliases"));
                        });
                    }
                }
                out.put(net, aliases);
            });
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

    private void networks(Node v, Map<String, DeploymentPlan.NetworkSpec> out) {
        for (NodeTuple t : mapping(v, "networks").getValue()) {
            attempt(() -> {
                String key = keyOf(t);
                String[] name = {null};
                boolean[] flags = {false, false}; // external, internal
                if (t.getValueNode() instanceof MappingNode m) {
                    for (NodeTuple a : m.getValue()) {
                        attempt(() -> {
                            String k = keyOf(a);
                            switch (k) {
                                case "name" -> name[0] = scalar(a.getValueNode(), "networks." + key + ".name");
                                case "external" -> flags[0] = Boolean.parseBoolean(scalar(a.getValueNode(), "networks." + key + ".external"));
                                case "internal" -> flags[1] = Boolean.parseBoolean(scalar(a.getValueNode(), "networks." + key + ".internal"));
                                case "driver" -> {
                                    String d = scalar(a.getValueNode(), "networks." + key + ".driver");
                                    if (!d.equals("bridge")) {
                                        throw new TemplateException(fileName, line(a.getValueNode()), "network " + key
                                                + ": only the bridge driver is supported, not \"" + d + "\"");
                                    }
                                }
                                default -> throw new TemplateException(fileName, line(a.getKeyNode()), "network " + key
                                        + ": unsupported key \"" + k + "\"; supported: name, external, internal, driver");
                            }
                        });
                    }
                }
                // declared even when one of its keys is wrong, so services naming it are not reported as well
                out.put(key, new DeploymentPlan.NetworkSpec(key, name[0], flags[0], flags[1]));
            });
        }
    }

    private void volumes(Node v, Map<String, DeploymentPlan.VolumeSpec> out) {
        for (NodeTuple t : mapping(v, "volumes").getValue()) {
            attempt(() -> {
                String key = keyOf(t);
                String[] name = {null};
                boolean[] external = {false};
                if (t.getValueNode() instanceof MappingNode m) {
                    for (NodeTuple a : m.getValue()) {
                        attempt(() -> {
                            String k = keyOf(a);
                            switch (k) {
                                case "name" -> name[0] = scalar(a.getValueNode(), "volumes." + key + ".name");
                                case "external" -> external[0] = Boolean.parseBoolean(scalar(a.getValueNode(), "volumes." + key + ".external"));
                                default -> throw new TemplateException(fileName, line(a.getKeyNode()), "volume " + key
                                        + ": unsupported key \"" + k + "\"; supported: name, external");
                            }
                        });
                    }
                }
                out.put(key, new DeploymentPlan.VolumeSpec(key, name[0], external[0]));
            });
        }
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
        if (v instanceof ScalarNode) {
            try {
                return ShellWords.split(scalar(v, what));
            } catch (IllegalArgumentException e) {
                throw new TemplateException(fileName, line(v), what + ": " + e.getMessage());
            }
        }
        return strings(v, what);
    }

    private Map<String, String> keyValues(Node v, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                attempt(() -> {
                    String s = scalar(item, what);
                    int eq = s.indexOf('=');
                    if (eq < 0) out.put(s, ""); else out.put(s.substring(0, eq), s.substring(eq + 1));
                });
            }
            return out;
        }
        MappingNode m = mapping(v, what);
        noDuplicates(m, what);
        for (NodeTuple t : m.getValue()) {
            attempt(() -> {
                Node val = t.getValueNode();
                boolean isNull = val instanceof ScalarNode sn && sn.getTag().getValue().endsWith(":null");
                out.put(keyOf(t), isNull ? "" : scalar(val, what + "." + keyOf(t)));
            });
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
