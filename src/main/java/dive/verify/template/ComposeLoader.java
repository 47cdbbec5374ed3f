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
 * Every key of the Compose Specification is either honoured or refused, naming
 * the service and the key ({@link ComposeKeys} says which): a silently ignored
 * key is how a deployment quietly differs from its template.
 * Every problem of a file is collected (file:line, service, key, why, what is
 * supported) and reported at once as {@link TemplateProblems}, so an operator
 * fixes a file in one round instead of one problem per run.
 * A file in which no service has a stage ({@value ServiceSpec#STAGE_LABEL}) is
 * refused, since it would start nothing, unless {@code oneStage} asks for every
 * service to form one stage. Values are interpolated ({@link Interpolator})
 * after parsing, so a secret containing YAML syntax cannot change the document's
 * structure. A service with {@code profiles} is in the plan only when one of them
 * is active ({@link Options#profiles()}; none by default, as in compose).
 */
public final class ComposeLoader {

    static final Set<String> TOP_LEVEL_KEYS = ComposeKeys.supported(ComposeKeys.topLevel());
    static final Set<String> SERVICE_KEYS = ComposeKeys.supported(ComposeKeys.service());
    static final Set<String> NETWORK_KEYS = ComposeKeys.supported(ComposeKeys.network());
    static final Set<String> VOLUME_KEYS = ComposeKeys.supported(ComposeKeys.volume());
    static final Set<String> HEALTHCHECK_KEYS = Set.of("test", "interval", "timeout", "retries", "start_period", "disable");
    static final Set<String> DEPENDS_CONDITIONS = Set.of("service_started", "service_healthy", "service_completed_successfully");
    static final String HEALTHY = "service_healthy", COMPLETED = "service_completed_successfully";

    /**
     * How to load: {@code oneStage} puts every service in stage 1, whatever its {@value ServiceSpec#STAGE_LABEL} label;
     * {@code profiles} are the active compose profiles ({@code *} activates all); {@code hostEnvironment} gives the values
     * of {@code environment:} entries written without one (the host's environment, by default).
     */
    public record Options(boolean oneStage, Set<String> profiles, Function<String, String> hostEnvironment) {
        public Options {
            profiles = Set.copyOf(profiles);
        }

        public static Options defaults() { return new Options(false, Set.of(), System::getenv); }

        public Options withOneStage(boolean one) { return new Options(one, profiles, hostEnvironment); }

        public Options withProfiles(java.util.Collection<String> active) { return new Options(oneStage, Set.copyOf(active), hostEnvironment); }

        public Options withHostEnvironment(Function<String, String> env) { return new Options(oneStage, profiles, env); }

        boolean active(List<String> serviceProfiles) {
            return serviceProfiles.isEmpty() || profiles.contains("*") || serviceProfiles.stream().anyMatch(profiles::contains);
        }
    }

    private final Path file;
    private final String fileName;
    private final Interpolator interpolator;
    private final Function<String, String> variables;
    private final Options options;
    private final boolean oneStage;
    private final List<TemplateException> problems = new ArrayList<>();

    private ComposeLoader(Path file, Function<String, String> variables, Options options) {
        this.file = file;
        this.fileName = file.toString();
        this.interpolator = new Interpolator(variables);
        this.variables = variables;
        this.options = options;
        this.oneStage = options.oneStage();
    }

    /** Loads {@code file}, interpolating with {@code variables} (usually the instance's .env). */
    public static DeploymentPlan load(Path file, Map<String, String> variables) {
        return load(file, variables, Options.defaults());
    }

    /**
     * Loads {@code file}; with {@code oneStage} every service forms stage 1, whatever its
     * {@value ServiceSpec#STAGE_LABEL} label says.
     *
     * @throws TemplateProblems every problem of the file, when it has any
     */
    public static DeploymentPlan load(Path file, Map<String, String> variables, boolean oneStage) {
        return load(file, variables, Options.defaults().withOneStage(oneStage));
    }

    /**
     * Loads {@code file}, interpolating with {@code variables}, as {@code options} say.
     *
     * @throws TemplateProblems every problem of the file, when it has any
     */
    public static DeploymentPlan load(Path file, Map<String, String> variables, Options options) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new TemplateProblems(file.toString(), List.of(new TemplateException(file.toString(), 0,
                    "cannot read compose file: " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()))));
        }
        return new ComposeLoader(file, variables::get, options).parse(text);
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
                                    ComposeKeys.refusal(ComposeKeys.topLevel(), key).replaceFirst(" key", " top-level key")
                                            + "; supported: " + TOP_LEVEL_KEYS + " and x-* extensions");
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
        // profiles: a service none of whose profiles is active is left out, as compose leaves it out of the project
        Map<String, List<String>> inactive = new LinkedHashMap<>();
        for (ServiceSpec s : services.values()) if (!options.active(s.profiles())) inactive.put(s.key(), s.profiles());
        Set<String> declared = new java.util.LinkedHashSet<>(hasStage.keySet());
        inactive.keySet().forEach(hasStage::remove);
        services.keySet().removeAll(inactive.keySet());
        dependencies(services, declared, inactive, dependsLines);
        if (!oneStage && !hasStage.isEmpty() && !hasStage.containsValue(true)) {
            problem(servicesLine[0], "no service has a deployment stage (label " + ServiceSpec.STAGE_LABEL + "), so none would be started: "
                    + String.join(", ", hasStage.keySet()) + "; give each service a stage (" + ServiceSpec.STAGE_LABEL
                    + ": \"1\", \"2\", ...), or deploy with --one-stage to start them all as one stage");
        } else if (servicesNode[0] != null && hasStage.isEmpty() && !inactive.isEmpty() && problems.isEmpty()) {
            problem(servicesLine[0], "every service has profiles, none of them active, so nothing would be deployed: " + inactive
                    + "; active profiles: " + (options.profiles().isEmpty() ? "none" : new java.util.TreeSet<>(options.profiles()))
                    + "; activate one (--compose-profile NAME)");
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
        return new DeploymentPlan(name, file, services, networks, volumes, Set.copyOf(interpolator.unsetVariables()), inactive);
    }

    /**
     * Checks the services' depends_on against each other, so that the deployer can honour every condition: the dependency
     * exists and is deployed, is in the same or an earlier stage, is not part of a cycle, and is not waited for both to
     * complete and to be healthy; a dependency that must complete successfully becomes one-shot (ready once it exited 0).
     * One that must become healthy without a healthcheck in the file goes by its image's ({@link DeploymentPlan#healthyByImage()}).
     */
    private void dependencies(Map<String, ServiceSpec> services, Set<String> declared, Map<String, List<String>> inactive,
                              Map<String, Integer> lines) {
        java.util.function.BiFunction<String, String, Integer> lineOf = (s, d) -> lines.getOrDefault(s + "/" + d, 0);
        Map<String, String> mustComplete = new LinkedHashMap<>(); // dependency → the service that needs it to complete
        for (ServiceSpec s : services.values()) {
            for (var e : s.dependsOn().entrySet()) {
                String dep = e.getKey();
                if (!declared.contains(dep)) {
                    problem(lineOf.apply(s.key(), dep), "service " + s.key() + ": depends_on names unknown service \"" + dep
                            + "\"; services are " + declared);
                } else if (inactive.containsKey(dep)) {
                    problem(lineOf.apply(s.key(), dep), "service " + s.key() + ": depends_on " + dep + ", which is deployed only with "
                            + "profile " + String.join(" or ", inactive.get(dep)) + ", none of them active (active: "
                            + (options.profiles().isEmpty() ? "none" : new java.util.TreeSet<>(options.profiles()))
                            + "); activate one (--compose-profile NAME) or remove the dependency");
                } else if (e.getValue().equals(COMPLETED)) {
                    mustComplete.putIfAbsent(dep, s.key());
                }
            }
        }
        mustComplete.forEach((dep, by) -> {
            ServiceSpec d = services.get(dep);
            if (d != null && !d.oneShot()) services.put(dep, d.withOneShot(true));
        });
        for (ServiceSpec s : services.values()) {
            for (var e : s.dependsOn().entrySet()) {
                ServiceSpec d = services.get(e.getKey());
                if (d == null) continue; // reported above, or its own definition has a problem
                int line = lineOf.apply(s.key(), d.key());
                if (e.getValue().equals(HEALTHY) && d.oneShot()) {
                    problem(line, "service " + s.key() + ": depends_on " + d.key() + " with condition service_healthy, but " + d.key()
                            + " runs once (" + (mustComplete.containsKey(d.key()) ? "service " + mustComplete.get(d.key())
                            + " waits for it to complete successfully" : "label " + ServiceSpec.ONE_SHOT_LABEL) + ") and is never healthy; "
                            + "use condition service_completed_successfully");
                }
                if (s.staged() && d.staged() && d.stage() > s.stage()) {
                    problem(line, "service " + s.key() + " (stage " + s.stage() + ") depends on " + d.key() + " of the later stage "
                            + d.stage() + "; a dependency must be in the same or an earlier stage");
                }
            }
        }
        Map<String, java.util.Collection<String>> graph = new LinkedHashMap<>();
        services.values().forEach(s -> graph.put(s.key(), s.dependsOn().keySet()));
        DependencyOrder.cycle(graph).ifPresent(c -> problem(lineOf.apply(c.get(0), c.get(1)), "service " + c.get(0)
                + ": depends_on forms a cycle " + String.join(" → ", c) + ", so none of them could start; remove one of the dependencies"));
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
        List<String> profiles = new ArrayList<>(), extraHosts = new ArrayList<>(), capAdd = new ArrayList<>(), capDrop = new ArrayList<>();
        Boolean[] init = {null};
        // mem_limit, cpus; deploy.resources.limits.memory, .cpus — each with its line, to compare the two forms
        Long[] limits = new Long[4];
        int[] limitLines = new int[4];
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
                    case "environment" -> env.putAll(environment(v, what));
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
                    case "profiles" -> {
                        for (Node p : sequence(v, what).getValue()) {
                            attempt(() -> {
                                String name = scalar(p, what);
                                if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+")) {
                                    throw new TemplateException(fileName, line(p), "service " + key + ": profile \"" + name
                                            + "\" is not a profile name (letters, digits, _ . -, at least two characters)");
                                }
                                profiles.add(name);
                            });
                        }
                    }
                    case "extra_hosts" -> extraHosts.addAll(extraHosts(v, what));
                    case "init" -> init[0] = bool(v, what);
                    case "cap_add" -> capAdd.addAll(capabilities(v, what));
                    case "cap_drop" -> capDrop.addAll(capabilities(v, what));
                    case "mem_limit" -> { limitLines[0] = line(v); limits[0] = bytes(scalar(v, what), line(v), what); }
                    case "cpus" -> { limitLines[1] = line(v); limits[1] = nanoCpus(scalar(v, what), line(v), what); }
                    case "deploy" -> deploy(mapping(v, what), key, limits, limitLines);
                    case "build" -> throw new TemplateException(fileName, line(t.getKeyNode()), "service " + key + ": " + ComposeKeys.BUILD);
                    default -> {
                        if (!k.startsWith("x-")) { // extensions are for other tools, as in compose
                            throw new TemplateException(fileName, line(t.getKeyNode()), "service " + key + ": "
                                    + ComposeKeys.refusal(ComposeKeys.service(), k) + "; supported keys are " + SERVICE_KEYS);
                        }
                    }
                }
            });
        }
        String image = one[0];
        boolean imageGiven = node.getValue().stream().anyMatch(t -> t.getKeyNode() instanceof ScalarNode s
                && (s.getValue().equals("image") || s.getValue().equals("build"))); // build: refused on its own line already
        if (image == null ? !imageGiven : image.isBlank()) {
            problem(line(node), "service " + key + ": no image");
        }
        for (int i = 0; i < 2; i++) {
            if (limits[i] != null && limits[i + 2] != null && !limits[i].equals(limits[i + 2])) {
                problem(limitLines[i], "service " + key + ": " + (i == 0 ? "mem_limit" : "cpus") + " and deploy.resources.limits."
                        + (i == 0 ? "memory" : "cpus") + " (line " + limitLines[i + 2] + ") differ; give one of them");
            }
        }
        HostSettings host = new HostSettings(extraHosts, init[0], capAdd, capDrop,
                limits[0] != null ? limits[0] : limits[2], limits[1] != null ? limits[1] : limits[3]);
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
                healthcheck[0], dependsOn, mounts, nets, labels, one[2], one[3], one[4], List.copyOf(tmpfs), postStart, stage, budget, oneShot,
                profiles, host);
    }

    /** deploy: only resources.limits.cpus and .memory have a meaning on one engine; every other key is refused by name. */
    private void deploy(MappingNode node, String service, Long[] limits, int[] limitLines) {
        String supported = "; supported under deploy: resources.limits.cpus, resources.limits.memory";
        noDuplicates(node, "service " + service + ", deploy");
        for (NodeTuple t : node.getValue()) {
            attempt(() -> {
                String k = keyOf(t);
                if (!k.equals("resources")) {
                    throw new TemplateException(fileName, line(t.getKeyNode()), "service " + service + ": unsupported key \"deploy." + k + "\"" + supported);
                }
                MappingNode resources = mapping(t.getValueNode(), "service " + service + ", deploy.resources");
                for (NodeTuple r : resources.getValue()) {
                    attempt(() -> {
                        String rk = keyOf(r);
                        if (!rk.equals("limits")) {
                            throw new TemplateException(fileName, line(r.getKeyNode()), "service " + service
                                    + ": unsupported key \"deploy.resources." + rk + "\"" + supported);
                        }
                        for (NodeTuple l : mapping(r.getValueNode(), "service " + service + ", deploy.resources.limits").getValue()) {
                            attempt(() -> {
                                String lk = keyOf(l);
                                String what = "service " + service + ", deploy.resources.limits." + lk;
                                Node v = l.getValueNode();
                                switch (lk) {
                                    case "memory" -> { limitLines[2] = line(v); limits[2] = bytes(scalar(v, what), line(v), what); }
                                    case "cpus" -> { limitLines[3] = line(v); limits[3] = nanoCpus(scalar(v, what), line(v), what); }
                                    default -> throw new TemplateException(fileName, line(l.getKeyNode()), "service " + service
                                            + ": unsupported key \"deploy.resources.limits." + lk + "\"" + supported);
                                }
                            });
                        }
                    });
                }
            });
        }
    }

    /** A size as compose reads it (go-units' RAMInBytes): a number of bytes, or with b, k, m, g, t, p (powers of 1024). */
    private long bytes(String text, int line, String what) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s?([kmgtp])?i?b?\\s*").matcher(text);
        if (!m.matches()) {
            throw new TemplateException(fileName, line, what + ": \"" + text + "\" is not a size such as 512m, 1g or 1073741824 (bytes)");
        }
        int power = m.group(2) == null ? 0 : "kmgtp".indexOf(Character.toLowerCase(m.group(2).charAt(0))) + 1;
        long value = new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(1024).pow(power)).longValue();
        if (value <= 0) throw new TemplateException(fileName, line, what + ": \"" + text + "\" must be more than 0 bytes");
        return value;
    }

    /** A CPU limit in CPUs (0.5, 2) as the engine's NanoCpus. */
    private long nanoCpus(String text, int line, String what) {
        try {
            java.math.BigDecimal cpus = new java.math.BigDecimal(text.trim());
            if (cpus.signum() <= 0) throw new NumberFormatException();
            return cpus.movePointRight(9).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TemplateException(fileName, line, what + ": \"" + text + "\" is not a number of CPUs such as 0.5 or 2");
        }
    }

    /** extra_hosts, as HOST:IP (the engine's form): a list of HOST:IP or HOST=IP, or a mapping HOST: IP (or a list of IPs). */
    private List<String> extraHosts(Node v, String what) {
        List<String> out = new ArrayList<>();
        if (v instanceof MappingNode m) {
            noDuplicates(m, what);
            for (NodeTuple t : m.getValue()) {
                attempt(() -> {
                    String host = keyOf(t);
                    List<String> ips = t.getValueNode() instanceof SequenceNode ? strings(t.getValueNode(), what + "." + host)
                            : List.of(scalar(t.getValueNode(), what + "." + host));
                    for (String ip : ips) out.add(extraHost(host, ip, line(t.getValueNode()), what));
                });
            }
            return out;
        }
        for (Node n : sequence(v, what).getValue()) {
            attempt(() -> {
                String entry = scalar(n, what);
                int eq = entry.indexOf('=');
                int at = eq >= 0 ? eq : entry.indexOf(':');
                if (at < 0) {
                    throw new TemplateException(fileName, line(n), what + ": \"" + entry + "\" is not of the form HOST:IP or HOST=IP");
                }
                out.add(extraHost(entry.substring(0, at), entry.substring(at + 1), line(n), what));
            });
        }
        return out;
    }

    private String extraHost(String host, String ip, int line, String what) {
        String h = host.trim(), a = ip.trim();
        if (a.startsWith("[") && a.endsWith("]")) a = a.substring(1, a.length() - 1); // [::1], as compose writes IPv6
        if (h.isEmpty() || a.isEmpty() || h.contains(" ") || a.contains(" ")) {
            throw new TemplateException(fileName, line, what + ": \"" + host + "\" → \"" + ip + "\" is not a host name and an address");
        }
        return h + ":" + a;
    }

    /** Capability names as the engine takes them: upper case, without CAP_; ALL for all. */
    private List<String> capabilities(Node v, String what) {
        List<String> out = new ArrayList<>();
        for (Node n : sequence(v, what).getValue()) {
            attempt(() -> {
                String name = scalar(n, what).trim().toUpperCase(java.util.Locale.ROOT);
                if (name.startsWith("CAP_")) name = name.substring(4);
                try {
                    com.github.dockerjava.api.model.Capability.valueOf(name);
                } catch (IllegalArgumentException e) {
                    throw new TemplateException(fileName, line(n), what + ": \"" + scalar(n, what)
                            + "\" is not a Linux capability (such as NET_ADMIN, SYS_PTRACE, CAP_CHOWN) or ALL");
                }
                out.add(name);
            });
        }
        return out;
    }

    /** A YAML boolean: true or false (compose reads YAML 1.2, where yes/no/on/off are strings). */
    private boolean bool(Node v, String what) {
        String text = scalar(v, what);
        if (text.equalsIgnoreCase("true")) return true;
        if (text.equalsIgnoreCase("false")) return false;
        throw new TemplateException(fileName, line(v), what + ": \"" + text + "\" is not true or false");
    }

    /**
     * environment: a mapping or a list of NAME=VALUE. An entry without a value (NAME, or NAME: with nothing) passes the
     * host's value of NAME, else the one the file is interpolated with (the instance's .env), as compose does; when
     * neither has it, NAME is left out (not set to "").
     */
    private Map<String, String> environment(Node v, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        java.util.function.BiConsumer<String, String> put = (name, value) -> {
            if (value != null) { out.put(name, value); return; }
            String host = options.hostEnvironment() == null ? null : options.hostEnvironment().apply(name);
            String resolved = host != null ? host : variables.apply(name);
            if (resolved != null) out.put(name, resolved);
        };
        if (v instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                attempt(() -> {
                    String s = scalar(item, what);
                    int eq = s.indexOf('=');
                    if (eq < 0) put.accept(s, null); else put.accept(s.substring(0, eq), s.substring(eq + 1));
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
                put.accept(keyOf(t), isNull ? null : scalar(val, what + "." + keyOf(t)));
            });
        }
        return out;
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
                String what = "service " + service + ", depends_on." + dep;
                for (NodeTuple c : mapping(t.getValueNode(), what).getValue()) {
                    String ck = keyOf(c);
                    switch (ck) {
                        case "condition" -> condition = scalar(c.getValueNode(), "condition");
                        // the defaults are what the deployer does; the other values it cannot do, so they are refused
                        case "required" -> attempt(() -> {
                            if (!bool(c.getValueNode(), what + ".required")) {
                                throw new TemplateException(fileName, line(c.getKeyNode()), "service " + service + ": depends_on " + dep
                                        + " has required: false, which is not supported: every dependency is required (remove the key, "
                                        + "or the dependency)");
                            }
                        });
                        case "restart" -> attempt(() -> {
                            if (bool(c.getValueNode(), what + ".restart")) {
                                throw new TemplateException(fileName, line(c.getKeyNode()), "service " + service + ": depends_on " + dep
                                        + " has restart: true, which is not supported: a service is never restarted because its "
                                        + "dependency was (remove the key)");
                            }
                        });
                        default -> {
                            if (!ck.startsWith("x-")) {
                                problem(line(c.getKeyNode()), "service " + service + ": unsupported depends_on key \"" + ck
                                        + "\"; supported: condition, required (true), restart (false)");
                            }
                        }
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
        topLevel(v, TopLevel.NETWORK, (key, e) -> out.put(key, new DeploymentPlan.NetworkSpec(key, e.name, e.external, e.internal, e.labels)));
    }

    private void volumes(Node v, Map<String, DeploymentPlan.VolumeSpec> out) {
        topLevel(v, TopLevel.VOLUME, (key, e) -> out.put(key, new DeploymentPlan.VolumeSpec(key, e.name, e.external, e.labels)));
    }

    /** The two top-level sections whose entries share their keys: networks and volumes. */
    private enum TopLevel {
        NETWORK("networks", "network", "bridge", ComposeKeys.network(), NETWORK_KEYS),
        VOLUME("volumes", "volume", "local", ComposeKeys.volume(), VOLUME_KEYS);

        final String section, entry, onlyDriver;
        final Map<String, ComposeKeys.Key> keys;
        final Set<String> supported;

        TopLevel(String section, String entry, String onlyDriver, Map<String, ComposeKeys.Key> keys, Set<String> supported) {
            this.section = section; this.entry = entry; this.onlyDriver = onlyDriver; this.keys = keys; this.supported = supported;
        }
    }

    /** What an entry of networks: or volumes: said; internal is a network's only. */
    private static final class TopLevelEntry {
        String name;
        boolean external, internal;
        final Map<String, String> labels = new LinkedHashMap<>();
    }

    /** Reads each entry of networks: or volumes:, reporting every wrong key, and hands on every entry, wrong keys or not. */
    private void topLevel(Node v, TopLevel kind, java.util.function.BiConsumer<String, TopLevelEntry> out) {
        for (NodeTuple t : mapping(v, kind.section).getValue()) {
            attempt(() -> {
                String key = keyOf(t);
                String where = kind.entry + " " + key;
                TopLevelEntry e = new TopLevelEntry();
                if (t.getValueNode() instanceof MappingNode m) {
                    noDuplicates(m, where);
                    for (NodeTuple a : m.getValue()) {
                        attempt(() -> {
                            String k = keyOf(a);
                            String what = kind.section + "." + key + "." + k;
                            switch (k) {
                                case "name" -> e.name = scalar(a.getValueNode(), what);
                                case "external" -> e.external = bool(a.getValueNode(), what);
                                case "labels" -> e.labels.putAll(keyValues(a.getValueNode(), what));
                                case "driver" -> {
                                    String d = scalar(a.getValueNode(), what);
                                    if (!d.equals(kind.onlyDriver)) {
                                        throw new TemplateException(fileName, line(a.getValueNode()), where
                                                + ": only the " + kind.onlyDriver + " driver is supported, not \"" + d + "\"");
                                    }
                                }
                                default -> {
                                    if (k.equals("internal") && kind == TopLevel.NETWORK) {
                                        e.internal = bool(a.getValueNode(), what);
                                    } else if (!k.startsWith("x-")) {
                                        throw new TemplateException(fileName, line(a.getKeyNode()), where + ": "
                                                + ComposeKeys.refusal(kind.keys, k) + "; supported: " + kind.supported);
                                    }
                                }
                            }
                        });
                    }
                    if (e.external) externalAlone(m, where);
                } else if (!isNull(t.getValueNode())) {
                    problem(line(t.getValueNode()), where + ": expected a mapping, found a " + kindOf(t.getValueNode()));
                }
                // declared even when one of its keys is wrong, so services naming it are not reported as well
                out.accept(key, e);
            });
        }
    }

    /** An external network or volume is made elsewhere: a key that would shape it here cannot be honoured (compose refuses it too). */
    private void externalAlone(MappingNode m, String what) {
        for (NodeTuple a : m.getValue()) {
            if (a.getKeyNode() instanceof ScalarNode k && !Set.of("name", "external").contains(k.getValue()) && !k.getValue().startsWith("x-")) {
                problem(line(k), what + " is external (made elsewhere, looked up by its name), so \"" + k.getValue()
                        + "\" cannot be honoured; only name: may go with external: true");
            }
        }
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
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
