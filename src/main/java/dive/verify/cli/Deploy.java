package dive.verify.cli;

import dive.verify.check.OpalClientToken;
import dive.verify.deploy.DeployOptions;
import dive.verify.deploy.Deployment;
import dive.verify.deploy.RunContext;
import dive.verify.deploy.StagedDeployer;
import dive.verify.deploy.Sweeper;
import dive.verify.instance.Instance;
import dive.verify.instance.InstanceCode;
import dive.verify.instance.InstanceInit;
import dive.verify.report.Secrets;
import dive.verify.state.StateFile;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.Timeouts;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ./dive-verify deploy}: deploys one instance stage by stage, resuming
 * where an earlier, interrupted deployment stopped, and leaves it running.
 * Validates first, creates later: the arguments, the code, the kind, the
 * template (rendered and loaded in a temporary directory that is removed
 * again) and the files are all checked before the engine, the kit or any file
 * is touched. {@code --validate-only} stops there.
 */
@Command(name = "deploy", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Deploys one instance stage by stage and leaves it running; an interrupted deployment is resumed.",
                "Everything is validated before anything is created: a refused command leaves nothing behind."},
        footer = {"", "Examples: deploy hub USA; deploy spoke FRA; deploy spoke FRA --reuse;",
                "          deploy --instance-dir instances/fra --compose instances/fra/variant.yml",
                "Exit codes: 0 deployed or verified (--validate-only: valid);",
                "            1 it did not come up, or the hub did not answer;",
                "            2 bad input (nothing was created); 130/143 interrupted (SIGINT/SIGTERM)."})
public final class Deploy implements Callable<Integer> {
    public static final String TIMEOUTS_FILE = "deploy-timeouts.properties";

    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "hub or spoke: initialise instances/CODE (idempotent), then deploy it")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CODE", description = "the instance code, three upper-case letters (ISO 3166 alpha-3), e.g. USA, FRA")
    String code;

    @Option(names = "--name", paramLabel = "NAME", description = "the instance's name when it is created (default: \"Coalition Hub\" or \"CODE spoke\")")
    String name;

    @Option(names = "--instance-dir", paramLabel = "DIR", description = "deploy an instance initialised before, instead of KIND CODE")
    Path instanceDir;

    @Option(names = "--keep", paramLabel = "WHEN", defaultValue = "always", converter = KeepValue.class,
            description = "what stays after the run: always, on-failure or never (default: ${DEFAULT-VALUE})")
    String keep;

    @ArgGroup(exclusive = true)
    ModeOption mode;

    static final class ModeOption {
        @Option(names = "--reuse", required = true, description = "only verify a running deployment; create nothing")
        boolean reuse;
        @Option(names = "--fresh", required = true, description = "ignore the recorded state; deploy every stage again")
        boolean fresh;
    }

    @Option(names = "--only", paramLabel = "KIND", split = ",",
            description = "deploy just these services, e.g. postgres,redis (and what they depend on)")
    List<String> only;

    @Option(names = "--compose", paramLabel = "FILE", description = "deploy this compose file (e.g. a variant) instead of the instance's")
    Path compose;

    @Option(names = "--timeouts", paramLabel = "FILE",
            description = "budgets per service or stage (default: " + TIMEOUTS_FILE + " in the instance directory, if present)")
    Path timeouts;

    @Option(names = "--init-only", description = "initialise the instance directory (rendered compose file, .env with secrets, "
            + "for a spoke its OPAL client token from the hub) and deploy nothing: for operators who deploy with their own tools "
            + "and verify with ./dive-verify verify --attach")
    boolean initOnly;

    @Option(names = "--for-compose-1.29", description = "with --init-only: also write " + LEGACY_COMPOSE_FILE + ", the compose file "
            + "converted for docker-compose 1.29 (Debian's), which has no post_start: -p for the project name, dive-shared external, "
            + "the replica-set initiation as a one-shot init service")
    boolean forCompose129;

    static final String LEGACY_COMPOSE_FILE = "docker-compose.compose-1.29.yml";

    @Option(names = "--validate-only", description = "check everything, create nothing, exit 0 when it is valid")
    boolean validateOnly;

    @Mixin TemplateOptions templateOptions;
    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    /** What runs once validation has passed; null: {@link #create}. Tests set it so that no input can reach the engine. */
    java.util.function.ToIntFunction<Validated> afterValidation;

    /** The value of --keep, checked when the command line is parsed. */
    static final class KeepValue implements ITypeConverter<String> {
        @Override public String convert(String value) {
            if (!List.of("always", "on-failure", "never").contains(value)) {
                throw new TypeConversionException("\"" + value + "\" is invalid: expected always, on-failure or never");
            }
            return value;
        }
    }

    public static void main(String[] args) {
        Cli.exit(Cli.execute(new Deploy(), args));
    }

    /** What validation established; nothing of it exists on disk yet unless the instance existed before. */
    record Validated(Path instanceDir, boolean exists, InstanceCode code, String kind, String name, Path compose,
                     Timeouts timeouts, Set<String> only, Path hubDir, DeploymentPlan plan) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Validated v = validate();
        String warning = Preflight.unstagedWarning(v.plan());
        if (warning != null) out.println("[deploy] " + warning);
        if (validateOnly) {
            out.println("[deploy] valid: " + describe(v) + "; nothing was created (--validate-only)");
            return Cli.OK;
        }
        if (afterValidation != null) return afterValidation.applyAsInt(v);
        dive.verify.deploy.Docker.connectInBackground();
        int prepared = Preparation.run();
        if (prepared != Cli.OK) return prepared;
        return create(v, out, spec.commandLine().getErr());
    }

    private String describe(Validated v) {
        return (v.kind() == null ? "instance " + v.instanceDir() : v.kind() + " " + v.code()) + ", "
                + v.plan().services().size() + " services in " + v.plan().stages().size() + " stage(s)"
                + (v.compose() != null ? " from " + v.compose() : "")
                + (v.timeouts().file().isPresent() ? ", timeouts " + v.timeouts().file().get() : "");
    }

    // ------------------------------------------------------------------ validate: reads only

    Validated validate() {
        try {
            return validateInputs();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new BadInput(String.valueOf(e.getMessage()));
        }
    }

    private Validated validateInputs() {
        if (instanceDir != null && (kind != null || code != null)) {
            throw new BadInput("give either --instance-dir DIR or KIND CODE, not both (got --instance-dir " + instanceDir
                    + " and " + (kind == null ? "" : kind) + (code == null ? "" : " " + code) + ")");
        }
        if (instanceDir == null && (kind == null || code == null)) {
            throw new BadInput("expected KIND CODE (KIND hub or spoke, CODE e.g. FRA) or --instance-dir DIR"
                    + (kind == null ? "" : ", got only " + kind));
        }
        if (instanceDir != null && name != null) {
            throw new BadInput("--name is for a new instance (KIND CODE); " + instanceDir + " has its name already");
        }
        if (forCompose129 && !initOnly) {
            throw new BadInput("--for-compose-1.29 writes a converted compose file for an operator's own deployment: "
                    + "it goes with --init-only");
        }
        Set<String> onlyKinds = new LinkedHashSet<>();
        if (only != null) {
            for (String k : only) {
                String t = k.trim();
                if (!t.matches("[a-z][a-z0-9-]*")) {
                    throw new BadInput("--only \"" + k + "\" is invalid: expected service kinds such as postgres,redis");
                }
                onlyKinds.add(t);
            }
        }
        if (compose != null && !Files.isRegularFile(compose)) {
            throw new BadInput("--compose " + compose + ": no such file; expected a compose file");
        }
        if (timeouts != null && !Files.isRegularFile(timeouts)) {
            throw new BadInput("--timeouts " + timeouts + ": no such file; expected a properties file such as "
                    + "service.keycloak-fra=240s, stage.4=150s");
        }
        Path composeFile = compose == null ? null : compose.toAbsolutePath().normalize();

        if (instanceDir != null) {
            Path dir = instanceDir.toAbsolutePath().normalize();
            Instance instance = Instance.load(dir);
            DeploymentPlan plan = Preflight.load(composeFile != null ? composeFile : instance.composeFile(), instance.env().read(),
                    templateOptions.loaderOptions());
            Timeouts t = timeouts(dir, plan);
            return new Validated(dir, true, instance.code(), null, instance.name(), composeFile, t,
                    onlyKeys(plan, instance.code(), onlyKinds), null, plan);
        }

        InstanceCode ic = InstanceCode.of(code);
        InstanceInit.checkKind(kind);
        Path instances = common.instances();
        Path templates = templateOptions.templates();
        Path dir = instances.resolve(ic.lower());
        String instanceName = name != null ? name : recordedName(dir, "hub".equals(kind) ? "Coalition Hub" : ic + " spoke");
        InstanceInit.Checked checked = new InstanceInit(templates, instances).check(kind, ic.upper(), instanceName, templateOptions.profile());
        Path hubDir = null;
        if (kind.equals("spoke") && !envOf(dir).containsKey("SPOKE_OPAL_TOKEN")) {
            hubDir = hub(instances, ic);
        }
        DeploymentPlan plan = Preflight.withRendered(templates, templateOptions.profile(), kind, ic.upper(), instanceName, dir,
                rendered -> Preflight.load(composeFile != null ? composeFile : rendered.composeFile(), rendered.env().read(),
                        templateOptions.loaderOptions()));
        Timeouts t = timeouts(dir, plan);
        return new Validated(dir, checked.exists(), ic, kind, instanceName, composeFile, t, onlyKeys(plan, ic, onlyKinds), hubDir, plan);
    }

    private static String recordedName(Path dir, String otherwise) {
        Path f = dir.resolve(InstanceInit.PROPERTIES);
        if (!Files.isRegularFile(f)) return otherwise;
        java.util.Properties p = new java.util.Properties();
        try (var r = Files.newBufferedReader(f)) {
            p.load(r);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return otherwise;
        }
        return p.getProperty("name", otherwise);
    }

    private static Map<String, String> envOf(Path dir) {
        Path env = dir.resolve(".env");
        return Files.isRegularFile(env) ? new dive.verify.instance.EnvFile(env).read() : Map.of();
    }

    /** The instance created as the hub: a spoke needs its OPAL server for a client token. */
    static Path hub(Path instances, InstanceCode spoke) {
        List<Path> hubs = InstanceInit.instancesOfKind(instances, "hub");
        if (hubs.isEmpty()) {
            throw new BadInput("spoke " + spoke + " needs the hub, but no instance in " + instances
                    + " was created as a hub: deploy the hub first (./dive-verify deploy hub USA)");
        }
        if (hubs.size() > 1) {
            throw new BadInput("spoke " + spoke + " needs one hub, but " + instances + " has " + hubs.size() + " instances created as a hub ("
                    + hubs.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")) + "): remove all but one");
        }
        return hubs.get(0);
    }

    private Timeouts timeouts(Path dir, DeploymentPlan plan) {
        Path file = timeouts != null ? timeouts : dir.resolve(TIMEOUTS_FILE);
        Timeouts t = timeouts != null || Files.exists(file) ? Timeouts.load(file) : Timeouts.none();
        t.validateAgainst(plan.services().keySet(), plan.stages());
        return t;
    }

    private static Set<String> onlyKeys(DeploymentPlan plan, InstanceCode code, Set<String> kinds) {
        if (kinds.isEmpty()) return null;
        Set<String> keys = new LinkedHashSet<>();
        for (String k : kinds) {
            String key = k + "-" + code.lower();
            if (!plan.services().containsKey(key)) {
                throw new BadInput("--only " + k + ": the template has no service " + key + "; its services are "
                        + String.join(", ", plan.services().keySet()));
            }
            keys.add(key);
        }
        return keys;
    }

    // ------------------------------------------------------------------ create: after validation only

    private int create(Validated v, PrintWriter out, PrintWriter err) {
        System.setProperty("dive.keep", keep); // read once by the run's context, before anything is created
        Path instances = common.instances();
        Path templates = templateOptions.templates();
        String token = null;
        if (v.hubDir() != null) {
            // asked before the spoke's files are written: a hub that does not answer leaves nothing behind
            Instance hub = Instance.load(v.hubDir());
            try {
                token = OpalClientToken.issue(hub);
            } catch (Exception | AssertionError e) { // no answer (IllegalStateException) or a refusal (AssertionError)
                err.println("[deploy] spoke " + v.code() + " needs a client token from the OPAL server of hub " + hub.code()
                        + " (" + v.hubDir() + "), which did not give one: " + Secrets.redact(String.valueOf(Cli.oneLine(e)))
                        + "; is the hub deployed and running? (./dive-verify deploy hub " + hub.code() + ")");
                return Cli.FAILED;
            }
        }
        Instance instance = v.kind() == null ? Instance.load(v.instanceDir())
                : Instance.load(new InstanceInit(templates, instances).init(v.kind(), v.code().upper(), v.name(), templateOptions.profile()).directory());
        if (token != null) OpalClientToken.storeFor(instance, token);
        if (initOnly) {
            if (forCompose129) {
                var variant = dive.verify.template.ComposeVariant.of(instance.composeFile());
                String project = variant.projectName();
                Path legacy = variant.forDockerCompose().writeAs(instance.dir().resolve(LEGACY_COMPOSE_FILE), instance.composeFile().getFileName()
                        + " converted for docker-compose 1.29 (no post_start); run: docker-compose -p " + project + " -f " + LEGACY_COMPOSE_FILE + " up -d");
                out.println("[deploy] for docker-compose 1.29: " + legacy + " (project " + project + ")");
            }
            out.println("[deploy] " + (v.kind() == null ? "instance" : v.kind() + " " + v.code()) + " initialised in " + instance.dir()
                    + " (compose file " + instance.composeFile().getFileName() + ", .env mode 0600); nothing was deployed (--init-only)");
            return Cli.OK;
        }
        DeploymentPlan plan = Preflight.load(v.compose() != null ? v.compose() : instance.composeFile(), instance.env().read(),
                templateOptions.loaderOptions());
        DeployOptions.Mode m = mode == null ? DeployOptions.Mode.RESUME : mode.reuse ? DeployOptions.Mode.REUSE : DeployOptions.Mode.FRESH;
        DeployOptions options = (v.only() == null ? DeployOptions.all() : DeployOptions.only(v.only()))
                .withState(instance.dir()).withTimeouts(v.timeouts()).withMode(m);

        out.println("[deploy] run " + RunContext.current().runId() + " (pid " + ProcessHandle.current().pid() + "), instance "
                + instance.dir() + ", keep " + keep + (m == DeployOptions.Mode.RESUME ? "" : ", " + m.name().toLowerCase()));
        Instant start = Instant.now();
        Sweeper.Swept swept = Sweeper.sweepOtherRuns();
        if (swept.total() > 0) {
            out.println("[deploy] swept leftovers of runs that are over: " + swept.containers() + " containers, "
                    + swept.networks() + " networks, " + swept.volumes() + " volumes");
        }
        Deployment d = new StagedDeployer().deploy(plan, options);
        List<String> missing = d.missingServices();
        Duration took = Duration.between(start, Instant.now());
        String how = d.adoptedServices().size() == d.selectedServices().size() ? "verified without redeploying"
                : d.resumedAt() > 0 ? "resumed at stage " + d.resumedAt() : "deployed";
        if (!missing.isEmpty()) {
            err.println("[deploy] " + d.name() + ": declared but never created: " + String.join(", ", missing));
            d.close();
            return Cli.FAILED;
        }
        out.printf("[deploy] %s: %d services ready, %s in %.1f s; state in %s%n", d.name(), d.selectedServices().size(), how,
                took.toMillis() / 1000.0, instance.dir().resolve(StateFile.NAME));
        if (RunContext.current().keep() == RunContext.Keep.ALWAYS) {
            // ready means each service's own health command passed in its container; the engine runs the same
            // command at its interval, and the checks that read the engine's status wait for its word
            out.println("[deploy] left running; the engine's own health checks say healthy within one interval "
                    + "(docker ps shows \"health: starting\" until then); remove it with ./dive-verify clean");
        } else {
            d.close();
        }
        return Cli.OK;
    }
}
