package dive.verify.cli;

import dive.verify.check.OpalClientToken;
import dive.verify.deploy.DeployOptions;
import dive.verify.deploy.Deployment;
import dive.verify.deploy.DeploymentFailure;
import dive.verify.deploy.RunContext;
import dive.verify.deploy.StagedDeployer;
import dive.verify.deploy.Sweeper;
import dive.verify.instance.Instance;
import dive.verify.instance.InstanceInit;
import dive.verify.report.Secrets;
import dive.verify.template.Timeouts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ./dive-verify deploy}: deploys one instance stage by stage, resuming
 * where an earlier, interrupted deployment stopped, and leaves it running.
 * <pre>
 * Deploy (hub|spoke) CODE [--name NAME]     init instances/CODE (idempotent), then deploy it
 * Deploy --instance-dir DIR                 deploy an instance initialised before
 *   --keep always|on-failure|never          what stays after the run (default: always)
 *   --reuse                                 only verify a running deployment; create nothing
 *   --fresh                                 ignore the recorded state; deploy every stage again
 *   --only KIND[,KIND…]                     deploy just these services, e.g. postgres,redis (and what they depend on)
 *   --compose FILE                          deploy this compose file (e.g. a variant) instead of the instance's
 *   --timeouts FILE                         budgets per service/stage (default: deploy-timeouts.properties
 *                                           in the instance directory, if present)
 * </pre>
 * Exit codes: 0 deployed (or verified), 1 it did not come up, 2 bad input,
 * 130/143 interrupted by SIGINT/SIGTERM.
 */
public final class Deploy {
    public static final String TIMEOUTS_FILE = "deploy-timeouts.properties";

    private Deploy() {}

    public static void main(String[] args) {
        int code = parseAndRun(args);
        if (dive.verify.deploy.SignalGuard.requested()) {
            // the signal's own thread records the interruption, cleans up (or keeps) and exits with 130/143
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        System.exit(code);
    }

    private static int parseAndRun(String[] args) {
        Args a;
        try {
            a = Args.parse(args);
            System.setProperty("dive.keep", a.keep); // read once by the run's context, before anything is created
        } catch (IllegalArgumentException e) {
            System.err.println("[deploy] " + e.getMessage());
            System.err.println("[deploy] usage: deploy (hub|spoke) CODE [--name NAME] | --instance-dir DIR; "
                    + "options --keep always|on-failure|never, --reuse, --fresh, --only S1,S2, --timeouts FILE, --compose FILE");
            return 2;
        }
        return run(a);
    }

    static int run(Args a) {
        Instance instance;
        DeployOptions options;
        try {
            instance = a.instanceDir != null ? Instance.load(a.instanceDir) : init(a);
            if (a.compose != null && !Files.isRegularFile(a.compose)) {
                throw new IllegalArgumentException("--compose " + a.compose + ": no such file");
            }
            Path timeouts = a.timeouts != null ? a.timeouts : instance.dir().resolve(TIMEOUTS_FILE);
            options = (a.only == null ? DeployOptions.all() : DeployOptions.only(services(instance, a.only)))
                    .withState(instance.dir())
                    .withTimeouts(a.timeouts != null || Files.exists(timeouts) ? Timeouts.load(timeouts) : Timeouts.none())
                    .withMode(a.mode);
        } catch (RuntimeException e) {
            System.err.println("[deploy] " + Secrets.redact(e.getMessage()));
            return 2;
        }
        System.out.println("[deploy] run " + RunContext.current().runId() + " (pid " + ProcessHandle.current().pid() + "), instance "
                + instance.dir() + ", keep " + a.keep + (a.mode == DeployOptions.Mode.RESUME ? "" : ", " + a.mode.name().toLowerCase()));
        Instant start = Instant.now();
        try {
            Sweeper.Swept swept = Sweeper.sweepOtherRuns();
            if (swept.total() > 0) {
                System.out.println("[deploy] swept leftovers of runs that are over: " + swept.containers() + " containers, "
                        + swept.networks() + " networks, " + swept.volumes() + " volumes");
            }
            Deployment d = new StagedDeployer().deploy(a.compose != null ? instance.plan(a.compose) : instance.plan(), options);
            List<String> missing = d.missingServices();
            Duration took = Duration.between(start, Instant.now());
            String how = d.adoptedServices().size() == d.selectedServices().size() ? "verified without redeploying"
                    : d.resumedAt() > 0 ? "resumed at stage " + d.resumedAt() : "deployed";
            if (!missing.isEmpty()) {
                System.err.println("[deploy] " + d.name() + ": declared but never created: " + String.join(", ", missing));
                d.close();
                return 1;
            }
            System.out.printf("[deploy] %s: %d services ready, %s in %.1f s; state in %s%n", d.name(), d.selectedServices().size(), how,
                    took.toMillis() / 1000.0, instance.dir().resolve(dive.verify.state.StateFile.NAME));
            if (RunContext.current().keep() == RunContext.Keep.ALWAYS) {
                System.out.println("[deploy] left running; remove it with ./dive-verify clean");
            } else {
                d.close();
            }
            return 0;
        } catch (DeploymentFailure e) {
            System.err.println("[deploy] " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            System.err.println("[deploy] " + Secrets.redact(String.valueOf(e.getMessage())));
            return 1;
        }
    }

    private static Instance init(Args a) {
        Path repo = Path.of(System.getProperty("dive.repo.root", ".")).toAbsolutePath().normalize();
        var result = new InstanceInit(repo.resolve("templates"), repo.resolve("instances"))
                .init(a.kind, a.code, a.name, System.getProperty("dive.image.profile", "kit"));
        Instance instance = Instance.load(result.directory());
        if ("spoke".equals(a.kind) && !instance.env().read().containsKey("SPOKE_OPAL_TOKEN")) {
            // the spoke's OPAL client needs a token from the hub's OPAL server before it can become healthy
            Path hubDir = repo.resolve("instances").resolve("usa");
            if (!Files.exists(hubDir.resolve("instance.properties"))) {
                throw new IllegalArgumentException("spoke " + a.code + " needs the hub: deploy it first (./dive-verify deploy hub USA)");
            }
            OpalClientToken.storeFor(instance, OpalClientToken.issue(Instance.load(hubDir)));
        }
        return instance;
    }

    private static Set<String> services(Instance instance, String only) {
        Set<String> keys = new LinkedHashSet<>();
        for (String kind : only.split(",")) keys.add(instance.service(kind.trim()));
        return keys;
    }

    /** The command line, checked before anything is created. */
    record Args(String kind, String code, String name, Path instanceDir, String keep, DeployOptions.Mode mode, String only, Path timeouts,
                Path compose) {
        static Args parse(String[] args) {
            List<String> positional = new ArrayList<>();
            String name = null, keep = "always", only = null;
            Path dir = null, timeouts = null, compose = null;
            DeployOptions.Mode mode = DeployOptions.Mode.RESUME;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--name" -> name = value(args, ++i, arg);
                    case "--instance-dir" -> dir = Path.of(value(args, ++i, arg));
                    case "--keep" -> keep = value(args, ++i, arg);
                    case "--only" -> only = value(args, ++i, arg);
                    case "--timeouts" -> timeouts = Path.of(value(args, ++i, arg));
                    case "--compose" -> compose = Path.of(value(args, ++i, arg));
                    case "--reuse" -> mode = mode(mode, DeployOptions.Mode.REUSE);
                    case "--fresh" -> mode = mode(mode, DeployOptions.Mode.FRESH);
                    default -> {
                        if (arg.startsWith("--")) throw new IllegalArgumentException("unknown option " + arg);
                        positional.add(arg);
                    }
                }
            }
            if (!List.of("always", "on-failure", "never").contains(keep)) {
                throw new IllegalArgumentException("--keep " + keep + " is invalid: expected always, on-failure or never");
            }
            if (dir != null) {
                if (!positional.isEmpty()) throw new IllegalArgumentException("give either --instance-dir or KIND CODE, not both");
                return new Args(null, null, null, dir, keep, mode, only, timeouts, compose);
            }
            if (positional.size() != 2 || !List.of("hub", "spoke").contains(positional.get(0))) {
                throw new IllegalArgumentException("expected KIND CODE (KIND hub or spoke, CODE e.g. FRA), got " + positional);
            }
            String code = positional.get(1);
            String defaultName = "hub".equals(positional.get(0)) ? "Coalition Hub" : code + " spoke";
            return new Args(positional.get(0), code, name != null ? name : defaultName, null, keep, mode, only, timeouts, compose);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) throw new IllegalArgumentException(option + " needs a value");
            return args[i];
        }

        private static DeployOptions.Mode mode(DeployOptions.Mode current, DeployOptions.Mode wanted) {
            if (current != DeployOptions.Mode.RESUME) throw new IllegalArgumentException("--reuse and --fresh exclude each other");
            return wanted;
        }
    }
}
