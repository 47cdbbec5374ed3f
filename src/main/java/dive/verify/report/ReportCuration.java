package dive.verify.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Shapes the raw Allure results before the report is generated, so that a
 * release manager reads outcomes first: the features grouped by what they
 * prove (epic), each scenario under its feature; the harness's own unit tests
 * apart, as "Harness self-tests"; and the report named after what was
 * verified, with the executor (local or CI, build name and link when the CI
 * gives them) in {@code executor.json}; and a failed scenario opens with
 * one line that says which check failed on which instance and what it saw
 * ({@link FailureHeadline}).
 *
 * <pre>java dive.verify.report.ReportCuration RESULTS_DIR RUNS_DIR</pre>
 */
public final class ReportCuration {
    static final String SELF_TESTS = "Harness self-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What each feature proves, by the number its file name starts with. */
    static final Map<String, String> GROUPS = new LinkedHashMap<>();
    static {
        GROUPS.put("01", "Seed outcomes: a fresh spoke really works");
        GROUPS.put("02", "Seed outcomes: a fresh spoke really works");
        GROUPS.put("06", "Seed outcomes: a fresh spoke really works");
        GROUPS.put("07", "Seed outcomes: a fresh spoke really works");
        GROUPS.put("03", "Policy: ACP-240 through OPAL");
        GROUPS.put("04", "Federation and SSO");
        GROUPS.put("05", "Federation and SSO");
        GROUPS.put("09", "Federation and SSO");
        GROUPS.put("10", "Federation and SSO");
        GROUPS.put("11", "Federation and SSO");
        GROUPS.put("12", "Federation and SSO");
        GROUPS.put("08", "Resilience: interruption, resume, cleanup");
        GROUPS.put("13", "Operator input: templates and bad input");
    }

    private ReportCuration() {}

    /** The epic of a result: its feature's group, or the self-tests for a unit test. */
    static String epic(JsonNode result) {
        String uri = label(result, "gherkin_uri");
        if (uri == null) return SELF_TESTS;
        String file = uri.substring(uri.lastIndexOf('/') + 1);
        String number = file.length() >= 2 ? file.substring(0, 2) : "";
        return GROUPS.getOrDefault(number, "Other outcomes");
    }

    static String label(JsonNode result, String name) {
        for (JsonNode l : result.path("labels")) if (name.equals(l.path("name").asText())) return l.path("value").asText();
        return null;
    }

    /** Sets epic (and, for unit tests, parentSuite and feature) labels; returns whether it changed anything. */
    static boolean curate(ObjectNode result) {
        ArrayNode labels = result.withArray("labels");
        String epic = epic(result);
        boolean selfTest = SELF_TESTS.equals(epic);
        Map<String, String> wanted = new LinkedHashMap<>();
        wanted.put("epic", epic);
        wanted.put("parentSuite", epic);
        if (selfTest) {
            String cls = label(result, "testClass");
            wanted.put("feature", cls == null ? "unit tests" : cls.substring(cls.lastIndexOf('.') + 1));
        }
        boolean changed = false;
        for (var e : wanted.entrySet()) {
            String now = label(result, e.getKey());
            if (e.getValue().equals(now)) continue;
            for (int i = labels.size() - 1; i >= 0; i--) if (e.getKey().equals(labels.get(i).path("name").asText())) labels.remove(i);
            labels.addObject().put("name", e.getKey()).put("value", e.getValue());
            changed = true;
        }
        return changed;
    }

    /** The report's name: what was verified (hub and spokes of the run), by which harness at which commit. */
    static String reportName(Path runsDir, String commit) throws IOException {
        TreeSet<String> hubs = new TreeSet<>(), spokes = new TreeSet<>();
        if (Files.isDirectory(runsDir)) {
            try (Stream<Path> s = Files.walk(runsDir, 4)) {
                for (Path p : s.filter(f -> f.getFileName().toString().equals("instance.properties")).toList()) {
                    Properties props = new Properties();
                    try (var r = Files.newBufferedReader(p)) { props.load(r); }
                    ("hub".equals(props.getProperty("kind")) ? hubs : spokes).add(props.getProperty("code"));
                }
            }
        }
        String what = hubs.isEmpty() && spokes.isEmpty() ? "no deployment"
                : (hubs.isEmpty() ? "" : "hub " + String.join(", ", hubs)) + (hubs.isEmpty() || spokes.isEmpty() ? "" : " + ")
                + (spokes.isEmpty() ? "" : (spokes.size() == 1 ? "spoke " : "spokes ") + String.join(", ", spokes));
        return "DIVE V3 verification: " + what + " — dive-verify " + ReportEnvironment.version() + " @ " + commit;
    }

    /**
     * The most recent run's directory under {@code runsDir} (one per run id) that deployed instances, or runsDir
     * itself. Child harness processes of a run (08-resilience) have run directories of their own, with logs only.
     */
    static Path newestRun(Path runsDir) throws IOException {
        if (!Files.isDirectory(runsDir)) return runsDir;
        try (Stream<Path> s = Files.list(runsDir)) {
            return s.filter(p -> Files.isDirectory(p.resolve("instances")))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElse(runsDir);
        }
    }

    /** Where the run happened, as Allure's executor panel shows it (CI variables of the common systems). */
    static Map<String, Object> executor(Map<String, String> env, String reportName) {
        Map<String, Object> e = new LinkedHashMap<>();
        String ci = env.get("CI");
        if (env.containsKey("GITHUB_RUN_ID")) {
            String url = env.getOrDefault("GITHUB_SERVER_URL", "https://github.com") + "/" + env.get("GITHUB_REPOSITORY") + "/actions/runs/" + env.get("GITHUB_RUN_ID");
            e.put("name", "GitHub Actions"); e.put("type", "github");
            e.put("buildName", env.getOrDefault("GITHUB_WORKFLOW", "workflow") + " #" + env.getOrDefault("GITHUB_RUN_NUMBER", env.get("GITHUB_RUN_ID")));
            e.put("buildUrl", url);
        } else if (env.containsKey("CI_JOB_ID")) {
            e.put("name", "GitLab CI"); e.put("type", "gitlab");
            e.put("buildName", env.getOrDefault("CI_JOB_NAME", "job") + " #" + env.get("CI_JOB_ID"));
            if (env.containsKey("CI_JOB_URL")) e.put("buildUrl", env.get("CI_JOB_URL"));
        } else if (env.containsKey("BUILD_NUMBER")) {
            e.put("name", "Jenkins"); e.put("type", "jenkins");
            e.put("buildName", env.getOrDefault("JOB_NAME", "job") + " #" + env.get("BUILD_NUMBER"));
            if (env.containsKey("BUILD_URL")) e.put("buildUrl", env.get("BUILD_URL"));
        } else if (ci != null && !ci.isBlank() && !ci.equals("false")) {
            e.put("name", "CI"); e.put("type", "ci");
            e.put("buildName", "CI run on " + env.getOrDefault("HOSTNAME", "this machine"));
        } else {
            e.put("name", "local run"); e.put("type", "local");
            e.put("buildName", "local run on " + env.getOrDefault("HOSTNAME", "this machine"));
        }
        e.put("reportName", reportName);
        return e;
    }

    /** How many results a directory had, how many were relabelled, and how many failures got a headline. */
    record Curated(int total, int relabelled, int headlined) {}

    /** Curates every result of a results directory in place. */
    static Curated curateAll(Path results) throws IOException {
        int total = 0, relabelled = 0, headlined = 0;
        try (Stream<Path> s = Files.list(results)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith("-result.json")).sorted().toList()) {
                JsonNode n = JSON.readTree(f.toFile());
                if (!(n instanceof ObjectNode o)) continue;
                total++;
                boolean labels = curate(o);
                // unit tests name their own failure well; a scenario's is a step's assertion, said without context
                boolean headline = label(o, "gherkin_uri") != null && FailureHeadline.apply(o);
                if (labels) relabelled++;
                if (headline) headlined++;
                if (labels || headline) JSON.writeValue(f.toFile(), o);
            }
        }
        return new Curated(total, relabelled, headlined);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ReportCuration RESULTS_DIR RUNS_DIR");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        Path runs = Path.of(args[1]);
        // the headlines quote assertion messages: redact the runs' secrets there too (the leak scan checks afterwards)
        LeakScan.loadSecrets(runs);
        LeakScan.loadRuntimeSecrets(runs);
        Curated c = curateAll(results);
        String name = reportName(newestRun(runs), ReportEnvironment.gitCommit());
        JSON.writerWithDefaultPrettyPrinter().writeValue(results.resolve("executor.json").toFile(), executor(System.getenv(), name));
        System.out.println("[report] " + c.total() + " results grouped by what they prove (" + c.relabelled() + " relabelled, "
                + c.headlined() + " failure(s) given a one-line headline); report: " + name);
    }
}
