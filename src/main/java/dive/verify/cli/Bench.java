package dive.verify.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dive.verify.bench.CriticalPath;
import dive.verify.bench.Spread;
import dive.verify.check.OpalClientToken;
import dive.verify.deploy.ComposeCommand;
import dive.verify.deploy.ContainerStats;
import dive.verify.deploy.DeployOptions;
import dive.verify.deploy.Deployment;
import dive.verify.deploy.RunContext;
import dive.verify.deploy.SignalGuard;
import dive.verify.deploy.StagedDeployer;
import dive.verify.deploy.Sweeper;
import dive.verify.deploy.Timing;
import dive.verify.instance.Instance;
import dive.verify.instance.InstanceCode;
import dive.verify.instance.InstanceInit;
import dive.verify.template.ComposeVariant;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code bench}: how fast the harness deploys a spoke, against the critical
 * path of its services and against docker-compose on the same rendered file
 * and images, in interleaved rounds on one machine; and what a running spoke
 * costs in memory and CPU. Figures are printed and written as JSON, never
 * asserted: a benchmark informs, a timed assertion flakes.
 */
@Command(name = "bench", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Deploys the hub once, then a spoke N rounds each: by the harness (in process), by docker-compose (up -d, then",
                "polling until all healthy) and by the ./dive-verify deploy command (process start to exit); prints min/median/max,",
                "the critical path, the ratios, and the memory and CPU of an idle spoke; writes them to reports/bench/."},
        footer = {"", "Exit codes: 0 measured; 1 a deployment failed or the engine did not answer; 2 bad input."})
public final class Bench implements Callable<Integer> {
    private static final Duration HEALTH_POLL = Duration.ofMillis(250);
    private static final Pattern RUN_ID = Pattern.compile("\\[deploy] run (\\S+) ");
    private static final Pattern DEPLOY_TOOK = Pattern.compile("services ready, deployed in ([0-9.]+) s");

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "rounds of each deployer, interleaved (1 to 10; default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--spoke", paramLabel = "CODE", defaultValue = "FRA", description = "the spoke deployed in every round (default: ${DEFAULT-VALUE})")
    String spoke;

    @Option(names = "--extra-spoke", paramLabel = "CODE", defaultValue = "GBR",
            description = "a second spoke deployed beside the first to measure what each extra spoke costs; none to skip (default: ${DEFAULT-VALUE})")
    String extraSpoke;

    @Option(names = "--idle", paramLabel = "SECONDS", defaultValue = "30", description = "the window over which idle CPU is measured (default: ${DEFAULT-VALUE})")
    int idleSeconds;

    @Option(names = "--no-command", description = "skip the rounds of the ./dive-verify deploy command (process start to exit)")
    boolean noCommand;

    @Option(names = "--validate-only", description = "check the options, measure nothing, exit 0 when they are valid")
    boolean validateOnly;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "${sys:dive.repo.root:-.}/reports/bench", description = "where the JSON goes (default: ${DEFAULT-VALUE})")
    Path out;

    @Mixin TemplateSource templateSource;
    @Mixin HelpOptions helpOptions;
    @Spec CommandSpec spec;

    public static void main(String[] args) {
        Cli.exit(Cli.execute(new Bench(), args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if (rounds < 1 || rounds > 10) throw new BadInput("--rounds " + rounds + " is invalid: expected 1 to 10");
        if (idleSeconds < 5 || idleSeconds > 600) throw new BadInput("--idle " + idleSeconds + " is invalid: expected 5 to 600 seconds");
        InstanceCode code, extra = null;
        try {
            code = InstanceCode.of(spoke);
            if (!"none".equalsIgnoreCase(extraSpoke)) extra = InstanceCode.of(extraSpoke);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
        Path images = templateSource.templates().resolve("images").resolve(templateSource.profile() + ".env");
        if (!Files.isRegularFile(images)) {
            throw new BadInput("--profile " + templateSource.profile() + ": no " + images + "; expected an image profile such as kit or upstream");
        }
        if (extra != null && extra.upper().equals(code.upper())) throw new BadInput("--extra-spoke " + extraSpoke + " must differ from --spoke " + spoke);
        if (!noCommand && !Files.isExecutable(repoRoot().resolve("dive-verify"))) {
            throw new BadInput("the command rounds run " + repoRoot().resolve("dive-verify") + ", which is not there; pass --no-command");
        }
        if (validateOnly) return Cli.OK;
        System.setProperty("dive.keep", "never"); // a failed round leaves nothing behind
        Sweeper.Swept swept = Sweeper.sweepOtherRuns(); // what an earlier, killed run left would skew every figure
        if (swept.total() > 0) w.println("[bench] swept leftovers of runs that are over: " + swept.containers() + " containers");

        // scratch instances: a benchmark never touches the user's own
        Path instances = Files.createTempDirectory(RunContext.current().workDir(), "bench-instances-");
        InstanceInit init = new InstanceInit(templateSource.templates(), instances);
        List<AutoCloseable> open = new java.util.concurrent.CopyOnWriteArrayList<>();
        SignalGuard.Listener onSignal = s -> closeAll(open);
        SignalGuard.install();
        SignalGuard.register(onSignal);
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            w.println("[bench] the hub (deployed once, not measured)");
            Instance hub = Instance.load(init.init("hub", "USA", "Coalition Hub", templateSource.profile()).directory());
            Deployment hubDeployment = new StagedDeployer().deploy(hub.plan(), DeployOptions.all());
            open.add(hubDeployment::close);
            Instance fra = spokeOf(init, hub, code);
            DeploymentPlan plan = fra.plan();
            var variant = ComposeVariant.of(fra.composeFile());
            String project = variant.projectName();
            ComposeVariant forCompose = variant.forDockerCompose();
            List<String> oneShots = forCompose.initServices(); // the init services its post_start hooks became
            Path composeFile = forCompose.writeAs(fra.dir().resolve("docker-compose.compose-1.29.yml"), "bench: for docker-compose 1.29");
            // compose ignores stage labels; given the order of record as depends_on it starts what the harness starts, when
            Path orderedFile = ComposeVariant.of(composeFile).withStageOrder()
                    .writeAs(fra.dir().resolve("docker-compose.compose-1.29-ordered.yml"), "bench: for docker-compose 1.29, stage order as depends_on");

            List<Double> harness = new ArrayList<>(), critical = new ArrayList<>(), compose = new ArrayList<>(), composeOrdered = new ArrayList<>(),
                    command = new ArrayList<>(), commandOverhead = new ArrayList<>(), agreed = new ArrayList<>();
            List<String> chains = new ArrayList<>();
            Map<String, Object> idle = null;
            for (int r = 1; r <= rounds; r++) {
                w.printf("[bench] round %d of %d: the harness%n", r, rounds);
                Instant t0 = Instant.now();
                Deployment d = new StagedDeployer().deploy(plan, DeployOptions.all().withMode(DeployOptions.Mode.FRESH));
                double took = seconds(Duration.between(t0, Instant.now()));
                try {
                    CriticalPath path = CriticalPath.of(ownReady(d, plan), dependencies(plan));
                    harness.add(took);
                    critical.add(seconds(path.total()));
                    chains.add(path.describe());
                    w.printf("[bench]   harness %.1f s; critical path %s%n", took, path.describe());
                    // not part of the deployment's time, but what docker ps and the checks wait for: printed beside it
                    var disagreed = d.engineAgreement();
                    if (!disagreed.isEmpty()) throw new IllegalStateException("the engine did not confirm " + disagreed.get(0).describe());
                    agreed.add(seconds(Duration.between(t0, Instant.now())) - took);
                    w.printf("[bench]   the engine's own health checks agreed %.1f s later%n", agreed.get(agreed.size() - 1));
                    if (r == 1) idle = idleFigures(w, d, hub, init, extra);
                } finally {
                    d.close();
                }

                w.printf("[bench] round %d of %d: docker-compose, the same file%n", r, rounds);
                took = composeRound(composeFile, project, oneShots, open);
                compose.add(took);
                w.printf("[bench]   docker-compose up -d and poll: %.1f s%n", took);
                w.printf("[bench] round %d of %d: docker-compose, the stage order as depends_on%n", r, rounds);
                took = composeRound(orderedFile, project, oneShots, open);
                composeOrdered.add(took);
                w.printf("[bench]   docker-compose up -d and poll: %.1f s%n", took);

                if (!noCommand) {
                    w.printf("[bench] round %d of %d: ./dive-verify deploy --instance-dir … --fresh%n", r, rounds);
                    double[] cmd = commandRound(fra);
                    command.add(cmd[0]);
                    commandOverhead.add(cmd[0] - cmd[1]);
                    w.printf("[bench]   command %.1f s, of which the deployment %.1f s%n", cmd[0], cmd[1]);
                }
            }
            result.put("date", Instant.now().toString());
            result.put("machine", machine());
            result.put("spoke", code.upper());
            result.put("rounds", rounds);
            result.put("harnessSeconds", Spread.of(harness));
            result.put("engineAgreementAfterSeconds", Spread.of(agreed));
            result.put("criticalPathSeconds", Spread.of(critical));
            result.put("criticalPaths", chains);
            result.put("composeSeconds", Spread.of(compose));
            result.put("composeStageOrderSeconds", Spread.of(composeOrdered));
            if (!command.isEmpty()) {
                result.put("commandSeconds", Spread.of(command));
                result.put("commandOverheadSeconds", Spread.of(commandOverhead));
            }
            result.put("harnessOverCriticalPath", Spread.of(harness).median() / Spread.of(critical).median());
            result.put("composeOverHarness", Spread.of(compose).median() / Spread.of(harness).median());
            result.put("composeStageOrderOverHarness", Spread.of(composeOrdered).median() / Spread.of(harness).median());
            result.put("idle", idle);
            java.io.StringWriter table = new java.io.StringWriter();
            printTable(new PrintWriter(table), result);
            w.print(table);
            w.flush();
            Path json = write(result, table.toString());
            w.println("[bench] figures written to " + json);
            return Cli.OK;
        } finally {
            closeAll(open);
            SignalGuard.unregister(onSignal);
            Preflight.delete(instances);
        }
    }

    /** docker-compose up -d, polled every quarter second until all healthy; then down -v (not timed). */
    private static double composeRound(Path file, String project, List<String> oneShots, List<AutoCloseable> open) {
        ComposeCommand c = new ComposeCommand(file, project, oneShots);
        open.add(c::down);
        Instant t0 = Instant.now();
        c.upAndWaitHealthy(Duration.ofSeconds(300), HEALTH_POLL, List.of());
        double took = seconds(Duration.between(t0, Instant.now()));
        c.down();
        open.remove(open.size() - 1);
        return took;
    }

    private Instance spokeOf(InstanceInit init, Instance hub, InstanceCode code) {
        Instance s = Instance.load(init.init("spoke", code.upper(), code.upper() + " spoke", templateSource.profile()).directory());
        OpalClientToken.storeFor(s, OpalClientToken.issue(hub));
        return s;
    }

    /** Each service's own time from its start to ready, as the deployer measured it. */
    private static Map<String, Duration> ownReady(Deployment d, DeploymentPlan plan) {
        Map<String, Duration> own = new LinkedHashMap<>();
        for (Timing t : d.timings()) if (plan.services().containsKey(t.what()) && "ready".equals(t.outcome())) own.put(t.what(), t.duration());
        return own;
    }

    /**
     * The graph the harness honours: a service's {@code depends_on}; for a service that declares none, every service
     * of the earlier stages (the order of record, e.g. KAS and the frontend after Keycloak).
     */
    static Map<String, Set<String>> dependencies(DeploymentPlan plan) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (ServiceSpec s : plan.services().values()) {
            if (!s.dependsOn().isEmpty() || !s.staged()) {
                out.put(s.key(), s.dependsOn().keySet());
                continue;
            }
            out.put(s.key(), plan.services().values().stream().filter(o -> o.staged() && o.stage() < s.stage())
                    .map(ServiceSpec::key).collect(Collectors.toCollection(java.util.LinkedHashSet::new)));
        }
        return out;
    }

    /** Memory and CPU of the spoke once it is idle, and again beside a second spoke: what each extra spoke costs. */
    private Map<String, Object> idleFigures(PrintWriter w, Deployment d, Instance hub, InstanceInit init, InstanceCode extra) {
        Map<String, Object> out = new LinkedHashMap<>();
        String label = RunContext.DEPLOYMENT_LABEL;
        var peak = ContainerStats.sample(label, d.name());
        out.put("peakMemoryMiB", round(ContainerStats.mib(peak, true)));
        w.printf("[bench]   idle figures: settling 10 s, then CPU over %d s%n", idleSeconds);
        sleep(Duration.ofSeconds(10));
        var cpu = ContainerStats.cpuOver(label, d.name(), Duration.ofSeconds(idleSeconds));
        out.put("idleMemoryMiB", round(ContainerStats.mib(ContainerStats.sample(label, d.name()), false)));
        out.put("idleCpuPercentOfCore", round(cpu.get("total")));
        Map<String, Double> perService = new LinkedHashMap<>();
        cpu.forEach((k, v) -> { if (!"total".equals(k)) perService.put(k, round(v)); });
        out.put("idleCpuPerContainer", perService);
        if (extra != null) {
            w.printf("[bench]   the extra spoke %s beside it%n", extra.upper());
            Instance other = spokeOf(init, hub, extra);
            Instant t0 = Instant.now();
            Deployment second = new StagedDeployer().deploy(other.plan(), DeployOptions.all());
            try {
                out.put("extraSpokeDeploySeconds", round(seconds(Duration.between(t0, Instant.now()))));
                sleep(Duration.ofSeconds(10));
                var cpu2 = ContainerStats.cpuOver(label, second.name(), Duration.ofSeconds(idleSeconds));
                out.put("extraSpokeIdleMemoryMiB", round(ContainerStats.mib(ContainerStats.sample(label, second.name()), false)));
                out.put("extraSpokeIdleCpuPercentOfCore", round(cpu2.get("total")));
            } finally {
                second.close();
            }
        }
        return out;
    }

    /** The deploy command as a user runs it: wall time from process start to exit, and the deployment time it printed. */
    private double[] commandRound(Instance spokeInstance) throws IOException, InterruptedException {
        Path root = repoRoot();
        ProcessBuilder pb = new ProcessBuilder(root.resolve("dive-verify").toString(), "deploy", "--instance-dir", spokeInstance.dir().toString(),
                "--fresh", "--keep", "always").redirectErrorStream(true);
        Instant t0 = Instant.now();
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        int exit = p.waitFor();
        double wall = seconds(Duration.between(t0, Instant.now()));
        Matcher run = RUN_ID.matcher(output);
        if (run.find()) Sweeper.removeRun(run.group(1)); // it was kept running: removed here, not counted
        Matcher took = DEPLOY_TOOK.matcher(output);
        if (exit != 0 || !took.find()) {
            throw new IllegalStateException("./dive-verify deploy exited " + exit + " without a deployment time; its last lines:\n"
                    + dive.verify.report.Secrets.redact(output.lines().skip(Math.max(0, output.lines().count() - 15)).collect(Collectors.joining("\n"))));
        }
        return new double[] {wall, Double.parseDouble(took.group(1))};
    }

    private static void printTable(PrintWriter w, Map<String, Object> r) {
        w.println();
        w.printf("[bench] spoke %s, %d rounds, %s (min / median / max)%n", r.get("spoke"), (Integer) r.get("rounds"), r.get("machine"));
        w.printf("  %-52s %s%n", "harness, deployer's clock to all healthy", ((Spread) r.get("harnessSeconds")).format("s"));
        w.printf("  %-52s %s%n", "  then the engine's own checks agreed, after", ((Spread) r.get("engineAgreementAfterSeconds")).format("s"));
        w.printf("  %-52s %s%n", "critical path (own times along depends_on / stages)", ((Spread) r.get("criticalPathSeconds")).format("s"));
        w.printf("  %-52s %s%n", "docker-compose up -d, polled until all healthy", ((Spread) r.get("composeSeconds")).format("s"));
        w.printf("  %-52s %s%n", "  the same, given the stage order as depends_on", ((Spread) r.get("composeStageOrderSeconds")).format("s"));
        if (r.containsKey("commandSeconds")) {
            w.printf("  %-52s %s%n", "./dive-verify deploy, process start to exit", ((Spread) r.get("commandSeconds")).format("s"));
            w.printf("  %-52s %s%n", "  of which outside the deployment", ((Spread) r.get("commandOverheadSeconds")).format("s"));
        }
        w.printf("  %-52s %.2f (target ≤ 1.10)%n", "harness ÷ critical path (medians)", (Double) r.get("harnessOverCriticalPath"));
        w.printf("  %-52s %.2f (target ≥ 1.15)%n", "compose ÷ harness (medians)", (Double) r.get("composeOverHarness"));
        w.printf("  %-52s %.2f%n", "compose with the stage order ÷ harness (medians)", (Double) r.get("composeStageOrderOverHarness"));
        if (r.get("idle") instanceof Map<?, ?> idle) {
            w.printf("  %-52s %s MiB peak, %s MiB idle%n", "memory of one spoke", idle.get("peakMemoryMiB"), idle.get("idleMemoryMiB"));
            w.printf("  %-52s %s %% of a core (target < 5)%n", "idle CPU of one spoke", idle.get("idleCpuPercentOfCore"));
            w.printf("  %-52s %s%n", "  per container", idle.get("idleCpuPerContainer"));
            if (idle.containsKey("extraSpokeIdleMemoryMiB")) {
                w.printf("  %-52s %s s to deploy, %s MiB, %s %% of a core idle%n", "an extra spoke beside it",
                        idle.get("extraSpokeDeploySeconds"), idle.get("extraSpokeIdleMemoryMiB"), idle.get("extraSpokeIdleCpuPercentOfCore"));
            }
        }
        w.flush();
    }

    private Path write(Map<String, Object> result, String table) throws IOException {
        Path dir = out.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path file = dir.resolve("bench-" + Instant.now().toString().replace(':', '-').replaceFirst("\\.\\d+Z$", "Z") + ".json");
        json.writeValue(file.toFile(), result);
        Files.copy(file, dir.resolve("latest.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // the table as printed, dated: the sign-off summary shows it beside a run's own figures
        Files.writeString(dir.resolve("latest.txt"), "measured " + result.get("date") + "\n" + table.strip() + "\n");
        return file;
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, "
                + Math.round(((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1024.0 * 1024 * 1024)) + " GiB";
    }

    private static Path repoRoot() { return Path.of(System.getProperty("dive.repo.root", ".")).toAbsolutePath().normalize(); }

    private static double seconds(Duration d) { return d.toMillis() / 1000.0; }

    private static double round(double v) { return Math.round(v * 10) / 10.0; }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(List<AutoCloseable> open) {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                System.err.println("[bench] cleanup: " + dive.verify.report.Secrets.redact(String.valueOf(e.getMessage())));
            }
        }
        open.clear();
    }
}
