package dive.verify.cli;

import dive.verify.instance.EnvFile;
import dive.verify.instance.Instance;
import dive.verify.instance.InstanceCode;
import dive.verify.instance.InstanceInit;
import dive.verify.report.Secrets;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Explain mode: what a deployment would do — stages, services, images,
 * budgets and readiness checks — without an engine and without creating
 * anything (a template is rendered in a temporary directory, removed again).
 * A broken template is reported with all of its problems, exit code 2.
 */
@Command(name = "explain", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Prints what a deployment would do: stages, services, images, budgets and readiness checks.",
                "Needs no engine and creates nothing."},
        footer = {"", "Without KIND: the hub USA and the spoke FRA. Examples: explain spoke GBR;",
                "explain hub USA; explain --compose FILE; explain --one-stage --compose FILE",
                "Exit codes: 0 explained; 2 bad input (each problem of a template on a line)."})
public final class Explain implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "hub or spoke (default: both, the hub USA and the spoke FRA)")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "CODE", description = "the instance code (default: USA for the hub, FRA for a spoke)")
    String code;

    @Option(names = "--compose", paramLabel = "FILE", description = "explain this compose file; with KIND [CODE] or --instance-dir its "
            + "variables are that instance's, otherwise the environment's and those of a .env beside FILE, as compose does")
    Path compose;

    @Option(names = "--instance-dir", paramLabel = "DIR", description = "explain an instance initialised before (its .env is read, nothing is written)")
    Path instanceDir;

    @Mixin TemplateOptions templateOptions;
    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Cli.execute(new Explain(), args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (instanceDir != null && kind != null) {
            throw new BadInput("give either --instance-dir DIR or KIND [CODE], not both");
        }
        Path file = compose == null ? null : compose.toAbsolutePath().normalize();
        if (file != null && !Files.isRegularFile(file)) {
            throw new BadInput("--compose " + compose + ": no such file; expected a compose file");
        }
        Map<String, String> targets = new LinkedHashMap<>();
        if (instanceDir != null) {
            return print(out, explainInstance(instanceDir.toAbsolutePath().normalize(), file));
        }
        if (kind == null && file != null) {
            return print(out, explainFile(file));
        }
        if (kind == null) {
            if (code != null) throw new BadInput("a CODE needs a KIND before it: explain spoke " + code);
            targets.put("hub", "USA");
            targets.put("spoke", "FRA");
        } else {
            targets.put(kind, code != null ? code : "hub".equals(kind) ? "USA" : "FRA");
        }
        int rc = Cli.OK;
        for (var t : targets.entrySet()) {
            try {
                out.print(Secrets.redact(plan(explainKind(t.getKey(), t.getValue(), file))));
                out.flush();
            } catch (BadInput | IllegalArgumentException | UncheckedIOException e) {
                List<String> lines = e instanceof BadInput b ? b.lines() : List.of(String.valueOf(e.getMessage()));
                for (String line : lines) err.println("[explain] " + Secrets.redact(line));
                err.flush();
                rc = Cli.BAD_INPUT;
            }
        }
        return rc;
    }

    private int print(PrintWriter out, DeploymentPlan plan) {
        out.print(Secrets.redact(plan(plan)));
        out.flush();
        return Cli.OK;
    }

    private DeploymentPlan explainKind(String kind, String code, Path file) {
        InstanceCode ic = InstanceCode.of(code);
        InstanceInit.checkKind(kind);
        String name = "hub".equals(kind) ? "Coalition Hub" : ic + " spoke";
        return Preflight.withRendered(templateOptions.templates(), templateOptions.profile(), kind, ic.upper(), name, null,
                rendered -> Preflight.load(file != null ? file : rendered.composeFile(), rendered.env().read(), templateOptions.loaderOptions()));
    }

    private DeploymentPlan explainInstance(Path dir, Path file) {
        Instance instance;
        try {
            instance = Instance.load(dir);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new BadInput(String.valueOf(e.getMessage()));
        }
        return Preflight.load(file != null ? file : instance.composeFile(), instance.env().read(), templateOptions.loaderOptions());
    }

    /** A compose file on its own: variables from the environment and a .env beside it, as compose reads them. */
    private DeploymentPlan explainFile(Path file) {
        Map<String, String> vars = new LinkedHashMap<>();
        Path env = file.resolveSibling(".env");
        if (Files.isRegularFile(env)) {
            try {
                vars.putAll(new EnvFile(env).read());
            } catch (RuntimeException e) {
                throw new BadInput(env + ": cannot be read as KEY=value lines: " + Cli.oneLine(e));
            }
        }
        vars.putAll(System.getenv());
        vars.forEach((k, v) -> {
            if (k.matches(".*(PASSWORD|SECRET|TOKEN|KEY|DATABASE_URL).*")) Secrets.register(v);
        });
        return Preflight.load(file, vars, templateOptions.loaderOptions());
    }

    public static String plan(DeploymentPlan plan) {
        StringBuilder sb = new StringBuilder("Deployment " + plan.project() + " (" + plan.services().size() + " services)\n");
        var stages = plan.stages();
        for (int i = 0; i < stages.size(); i++) {
            int st = stages.get(i);
            sb.append(String.format("  stage %d of %d:%n", i + 1, stages.size()));
            // each starts as soon as its depends_on are met; one without any, once the earlier stages are complete
            String earlier = i == 0 ? "" : "  after stage" + (i == 1 ? " 1" : "s 1-" + i) + " (no depends_on: the order of record)";
            for (ServiceSpec s : plan.servicesOfStage(st)) sb.append(describe(s, plan.healthyByImage().contains(s.key()), earlier));
        }
        if (stages.size() > 1) {
            sb.append("  (a service starts as soon as what it depends on is ready, whatever its stage; stages complete in order)\n");
        }
        for (ServiceSpec s : plan.unstaged()) {
            sb.append("  NOT STARTED (no ").append(ServiceSpec.STAGE_LABEL).append(" label):\n").append(describe(s, false, ""));
        }
        plan.inactive().forEach((service, profiles) -> sb.append("  NOT DEPLOYED (profile ").append(String.join(" or ", profiles))
                .append(" not active; --compose-profile activates one): ").append(service).append("\n"));
        sb.append("  then: every declared service is compared with the containers that exist\n");
        return sb.toString();
    }

    private static String describe(ServiceSpec s, boolean healthyByImage, String withoutDependsOn) {
        String ready = s.oneShot() ? "exits 0"
                : s.healthcheck() == null ? (healthyByImage ? "healthy by its image's healthcheck" : "running")
                : "healthy: " + String.join(" ", s.healthcheck().test().subList(1, s.healthcheck().test().size()))
                        .replaceAll("\\s+", " ");
        if (ready.length() > 110) ready = ready.substring(0, 107) + "...";
        String deps = s.dependsOn().isEmpty() ? withoutDependsOn : "  after " + s.dependsOn().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().replace("service_", "")).collect(Collectors.joining(", "));
        return String.format("    %-20s %-34s budget %3ds  ready when %s%s%n", s.key(), s.image(), s.startBudget().toSeconds(), ready, deps);
    }
}
