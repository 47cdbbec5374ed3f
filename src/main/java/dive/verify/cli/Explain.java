package dive.verify.cli;

import dive.verify.instance.Instance;
import dive.verify.instance.InstanceInit;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Explain mode: what a deployment would do — stages, services, images,
 * budgets and readiness checks — without touching Docker.
 *
 * <pre>java dive.verify.cli.Explain TEMPLATES_DIR [spoke|hub] [CODE] [PROFILE]</pre>
 */
public final class Explain {
    private Explain() {}

    public static void main(String[] args) throws IOException {
        Path templates = Path.of(args.length > 0 ? args[0] : "templates");
        String kind = args.length > 1 ? args[1] : "spoke";
        String code = args.length > 2 ? args[2] : "FRA";
        String profile = args.length > 3 ? args[3] : "kit";
        Path tmp = Files.createTempDirectory("dive-verify-explain");
        try {
            InstanceInit.Result r;
            try {
                r = new InstanceInit(templates, tmp).init(kind, code, code + " (explain)", profile);
            } catch (IllegalArgumentException e) {
                System.err.println("[explain] " + e.getMessage());
                System.exit(2);
                return;
            }
            Instance instance = Instance.load(r.directory());
            DeploymentPlan plan = instance.plan();
            System.out.println(plan(plan));
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public static String plan(DeploymentPlan plan) {
        StringBuilder sb = new StringBuilder("Deployment " + plan.project() + " (" + plan.services().size() + " services)\n");
        var stages = plan.stages();
        for (int i = 0; i < stages.size(); i++) {
            int st = stages.get(i);
            sb.append(String.format("  stage %d of %d (in parallel):%n", i + 1, stages.size()));
            for (ServiceSpec s : plan.servicesOfStage(st)) sb.append(describe(s));
        }
        for (ServiceSpec s : plan.unstaged()) {
            sb.append("  NOT STARTED (no ").append(ServiceSpec.STAGE_LABEL).append(" label):\n").append(describe(s));
        }
        sb.append("  then: every declared service is compared with the containers that exist\n");
        return sb.toString();
    }

    private static String describe(ServiceSpec s) {
        String ready = s.oneShot() ? "exits 0"
                : s.healthcheck() == null ? "running"
                : "healthy: " + String.join(" ", s.healthcheck().test().subList(1, s.healthcheck().test().size()))
                        .replaceAll("\\s+", " ");
        if (ready.length() > 110) ready = ready.substring(0, 107) + "...";
        String deps = s.dependsOn().isEmpty() ? "" : "  after " + s.dependsOn().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().replace("service_", "")).collect(Collectors.joining(", "));
        return String.format("    %-20s %-34s budget %3ds  ready when %s%s%n", s.key(), s.image(), s.startBudget().toSeconds(), ready, deps);
    }
}
