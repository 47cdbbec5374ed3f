package dive.verify.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sign-off summary a release manager reads first: each claim of the
 * seed's write-up with this run's verdict (refuted, not run, holds: in that
 * order) and the scenarios that decide it; a refuted claim with the cause
 * (the failed scenario's one-line headline, see {@link FailureHeadline}) and
 * a link to that scenario's page in the Allure report. Then the measured
 * figures and the deployed components, as the scenarios attached them.
 * Written as Markdown (for a CI job's summary page) and HTML (beside the
 * Allure report); {@link SignOffPage} lays them out.
 *
 * <pre>java dive.verify.report.SignOff RESULTS_DIR OUT_DIR [REPORT_DIR]</pre>
 */
public final class SignOff {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TITLE = "Sign-off: the claims of the FRA incident write-up, as this run found them";

    /** In the order the summary lists them: what needs the reader's attention first. */
    public enum Verdict { REFUTED, NOT_RUN, HOLDS }

    public record Claim(String text, List<String> scenarios) {}

    /**
     * A scenario's latest outcome. {@code cause}: for a failed or broken one its headline, for a skipped one
     * why it was skipped; {@code page}: its page in the report, relative to the report's directory (null when unknown).
     */
    public record Outcome(String scenario, String status, String cause, String historyId, String page) {
        public Outcome(String scenario, String status, String cause) { this(scenario, status, cause, null, null); }

        /** failed, broken (or any status Allure may add): not a pass, and not merely not run */
        boolean refutes() { return !passed() && !notRun(); }

        boolean passed() { return status.equals("passed"); }

        /** absent from the results, or skipped (e.g. not applicable in attach mode): decides nothing */
        boolean notRun() { return status.equals(NOT_RUN) || status.equals("skipped"); }

        Outcome onPage(String page) { return new Outcome(scenario, status, cause, historyId, page); }
    }

    static final String NOT_RUN = "not run";

    public record Judged(Claim claim, Verdict verdict, List<Outcome> outcomes) {
        /** The outcomes that explain the verdict first: failed, then not run, then passed. */
        List<Outcome> explainingFirst() {
            List<Outcome> out = new ArrayList<>(outcomes);
            out.sort(Comparator.comparingInt(o -> o.refutes() ? 0 : o.notRun() ? 1 : 2));
            return out;
        }
    }

    /** Figures the scenarios attach, by attachment name. */
    static final List<String> FIGURES = List.of("brokered login latency", "policy distribution time", "federation status view");

    private SignOff() {}

    public static List<Claim> claims() throws IOException {
        List<Claim> out = new ArrayList<>();
        try (InputStream in = SignOff.class.getResourceAsStream("seed-claims.tsv")) {
            if (in == null) throw new IOException("seed-claims.tsv is missing from the harness");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] cols = line.split("\t", 2);
                List<String> scenarios = new ArrayList<>();
                for (String s : cols[1].split(";")) if (!s.isBlank()) scenarios.add(s.trim());
                out.add(new Claim(cols[0].trim(), scenarios));
            }
        }
        return out;
    }

    /**
     * A claim holds when every scenario deciding it ran and passed; one failed or broken scenario refutes it;
     * else (a scenario skipped or absent) it is not run.
     */
    static Judged judge(Claim c, Map<String, Outcome> byName) {
        List<Outcome> outcomes = new ArrayList<>();
        for (String s : c.scenarios()) outcomes.add(byName.getOrDefault(s, new Outcome(s, NOT_RUN, null)));
        Verdict v = outcomes.stream().anyMatch(Outcome::refutes) ? Verdict.REFUTED
                : outcomes.stream().allMatch(Outcome::passed) ? Verdict.HOLDS : Verdict.NOT_RUN;
        return new Judged(c, v, outcomes);
    }

    /** Every claim judged, listed refuted first, then not run, then holding (in the claims' order within each). */
    static List<Judged> judgeAll(List<Claim> claims, Map<String, Outcome> byName) {
        List<Judged> out = new ArrayList<>();
        for (Claim c : claims) out.add(judge(c, byName));
        out.sort(Comparator.comparing(Judged::verdict)); // stable: the claims' order within a verdict
        return out;
    }

    /** The latest outcome of every scenario (by name) in an Allure results directory, and the figures attached. */
    static Map<String, Outcome> outcomes(Path results, Map<String, String> figures) throws IOException {
        Map<String, Outcome> out = new LinkedHashMap<>();
        Map<String, Long> stop = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(results)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith("-result.json")).sorted().toList()) {
                JsonNode r = JSON.readTree(f.toFile());
                if (ReportCuration.label(r, "gherkin_uri") == null) continue; // unit tests are not claims' evidence
                String name = r.path("name").asText();
                long at = r.path("stop").asLong();
                if (stop.containsKey(name) && stop.get(name) > at) continue;
                stop.put(name, at);
                out.put(name, new Outcome(name, r.path("status").asText("unknown"), cause(r), r.path("historyId").asText(null), null));
                collectFigures(r, results, figures);
            }
        }
        // what the scenarios' hooks attached (deployments: timings and images) sits in the containers' befores/afters
        try (Stream<Path> s = Files.list(results)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith("-container.json")).sorted().toList()) {
                JsonNode c = JSON.readTree(f.toFile());
                for (String part : List.of("befores", "afters")) for (JsonNode fixture : c.path(part)) collectFigures(fixture, results, figures);
            }
        }
        return out;
    }

    /** Why a result did not pass, in one line: a failure's headline, a skip's reason; null for a pass. */
    static String cause(JsonNode result) {
        if (FailureHeadline.isFailure(result)) return FailureHeadline.of(result);
        if (result.path("status").asText().equals("passed")) return null;
        String msg = result.path("statusDetails").path("message").asText("");
        return msg.isBlank() ? null : Secrets.redact(FailureHeadline.seen(msg));
    }

    private static void collectFigures(JsonNode node, Path results, Map<String, String> figures) throws IOException {
        for (JsonNode a : node.path("attachments")) {
            String name = a.path("name").asText();
            if (FIGURES.contains(name) || name.startsWith("deployment ") && name.endsWith("timings and images")) {
                Path src = results.resolve(a.path("source").asText());
                if (Files.exists(src)) figures.putIfAbsent(name, Files.readString(src).strip());
            }
        }
        for (JsonNode step : node.path("steps")) collectFigures(step, results, figures);
    }

    /** Each outcome with its page in the generated report, where the report has it. */
    static Map<String, Outcome> onPages(Map<String, Outcome> outcomes, Map<String, String> pageByHistoryId) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        outcomes.forEach((name, o) -> out.put(name, o.historyId() == null ? o : o.onPage(pageByHistoryId.get(o.historyId()))));
        return out;
    }

    /**
     * Writes {@code OUT_DIR/sign-off.md} and, when the report's directory is given, {@code REPORT_DIR/sign-off.html};
     * links to the scenarios' pages when that directory holds a generated report.
     */
    /** Where {@code ./dive-verify bench} leaves its table, under the reports directory. */
    static final String BENCH_TABLE = "bench/latest.txt";

    static List<Judged> write(Path results, Path outDir, Path reportDir) throws IOException {
        Map<String, String> figures = new LinkedHashMap<>();
        Map<String, Outcome> byName = outcomes(results, figures);
        // the last benchmark beside this run's figures (it is a separate command: ./dive-verify bench; its date is in it)
        Path bench = outDir.resolve(BENCH_TABLE);
        if (Files.isRegularFile(bench)) figures.put("Deploy speed (the last ./dive-verify bench, not this run)", Files.readString(bench).strip());
        if (reportDir != null) byName = onPages(byName, ReportLinks.pages(reportDir));
        List<Judged> judged = judgeAll(claims(), byName);
        Files.createDirectories(outDir);
        // sign-off.md links to the report from where it lies
        String reportFromMd = reportDir == null ? null
                : outDir.toAbsolutePath().normalize().relativize(reportDir.toAbsolutePath().normalize()).toString().replace('\\', '/');
        Files.writeString(outDir.resolve("sign-off.md"), SignOffPage.markdown(TITLE, judged, figures, reportFromMd));
        if (reportDir != null) Files.writeString(reportDir.resolve("sign-off.html"), SignOffPage.html(TITLE, judged, figures));
        return judged;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: SignOff RESULTS_DIR OUT_DIR [REPORT_DIR]");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        List<Judged> judged = write(Path.of(args[0]), out, args.length > 2 ? Path.of(args[2]) : null);
        long holds = judged.stream().filter(j -> j.verdict() == Verdict.HOLDS).count();
        long refuted = judged.stream().filter(j -> j.verdict() == Verdict.REFUTED).count();
        System.out.println("[sign-off] " + holds + " of " + judged.size() + " claims hold, " + refuted + " refuted: " + out.resolve("sign-off.md"));
        // the refuted claims and why, where the run's console ends
        for (Judged j : judged) {
            if (j.verdict() != Verdict.REFUTED) continue;
            System.out.println("[sign-off] refuted: " + j.claim().text());
            for (Outcome o : j.explainingFirst()) if (o.refutes()) System.out.println("[sign-off]   ✘ " + o.scenario() + ": " + o.cause());
        }
    }
}
