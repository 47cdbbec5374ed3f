package dive.verify.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sign-off summary a release manager reads first: each claim of the
 * seed's write-up with this run's verdict (holds, refuted, not run) and the
 * scenarios that decide it, failed claims first with their cause; then the
 * measured figures and the deployed components, as the scenarios attached
 * them. Written as Markdown (for a CI job's summary page) and HTML (beside
 * the Allure report).
 *
 * <pre>java dive.verify.report.SignOff RESULTS_DIR OUT_DIR</pre>
 */
public final class SignOff {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Verdict { REFUTED, NOT_RUN, HOLDS }

    public record Claim(String text, List<String> scenarios) {}

    public record Outcome(String scenario, String status, String cause) {}

    public record Judged(Claim claim, Verdict verdict, List<Outcome> outcomes) {}

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

    /** A claim holds when every scenario deciding it ran and passed; one failure refutes it. */
    static Judged judge(Claim c, Map<String, Outcome> byName) {
        List<Outcome> outcomes = new ArrayList<>();
        boolean anyRun = false, anyFailed = false, allRun = true;
        for (String s : c.scenarios()) {
            Outcome o = byName.get(s);
            if (o == null) {
                outcomes.add(new Outcome(s, "not run", null));
                allRun = false;
                continue;
            }
            outcomes.add(o);
            anyRun = true;
            if (!o.status().equals("passed")) anyFailed = true;
        }
        Verdict v = anyFailed ? Verdict.REFUTED : anyRun && allRun ? Verdict.HOLDS : Verdict.NOT_RUN;
        return new Judged(c, v, outcomes);
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
                String msg = r.path("statusDetails").path("message").asText(null);
                out.put(name, new Outcome(name, r.path("status").asText("unknown"), msg == null ? null : firstLines(msg, 3)));
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

    private static String firstLines(String s, int n) {
        String[] lines = s.strip().split("\n");
        return String.join(" ", java.util.Arrays.copyOf(lines, Math.min(n, lines.length))).replaceAll("\\s+", " ");
    }

    static String markdown(List<Judged> judged, Map<String, String> figures, String title) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        long holds = judged.stream().filter(j -> j.verdict() == Verdict.HOLDS).count();
        long refuted = judged.stream().filter(j -> j.verdict() == Verdict.REFUTED).count();
        md.append("**").append(holds).append(" of ").append(judged.size()).append(" claims hold, ").append(refuted)
                .append(" refuted, ").append(judged.size() - holds - refuted).append(" not run.**\n\n");
        md.append("| verdict | claim of the seed's write-up | decided by |\n|---|---|---|\n");
        List<Judged> ordered = new ArrayList<>(judged);
        ordered.sort(java.util.Comparator.comparing(Judged::verdict)); // refuted first
        for (Judged j : ordered) {
            StringBuilder by = new StringBuilder();
            for (Outcome o : j.outcomes()) {
                if (by.length() > 0) by.append("<br>");
                by.append(o.status().equals("passed") ? "✔ " : o.status().equals("not run") ? "– " : "✘ ").append(esc(o.scenario()));
                if (o.cause() != null && !o.status().equals("passed")) by.append(": ").append(esc(o.cause()));
            }
            md.append("| ").append(switch (j.verdict()) { case HOLDS -> "✅ holds"; case REFUTED -> "❌ refuted"; case NOT_RUN -> "⚪ not run"; })
                    .append(" | ").append(esc(j.claim().text())).append(" | ").append(by).append(" |\n");
        }
        if (!figures.isEmpty()) {
            md.append("\n## Measured in this run\n\n");
            figures.forEach((k, v) -> md.append("**").append(k).append("**\n\n```\n").append(Secrets.redact(v)).append("\n```\n\n"));
        }
        return md.toString();
    }

    private static String esc(String s) { return s.replace("|", "\\|").replace("\n", " "); }

    static String html(String markdownTitle, List<Judged> judged, Map<String, String> figures) {
        StringBuilder h = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(html(markdownTitle)).append("</title><style>body{font-family:sans-serif;margin:2em;max-width:80em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top}"
                        + ".holds{color:#1a7f37}.refuted{color:#cf222e;font-weight:bold}.not_run{color:#777}pre{background:#f6f8fa;padding:.6em}</style></head><body>");
        h.append("<h1>").append(html(markdownTitle)).append("</h1>");
        long holds = judged.stream().filter(j -> j.verdict() == Verdict.HOLDS).count();
        long refuted = judged.stream().filter(j -> j.verdict() == Verdict.REFUTED).count();
        h.append("<p id=\"counts\" data-claims=\"").append(judged.size()).append("\" data-holds=\"").append(holds).append("\" data-refuted=\"")
                .append(refuted).append("\"><b>").append(holds).append(" of ").append(judged.size()).append(" claims hold, ").append(refuted)
                .append(" refuted.</b> Details of every scenario: <a href=\"index.html\">the Allure report</a>.</p>");
        h.append("<table id=\"claims\"><tr><th>verdict</th><th>claim of the seed's write-up</th><th>decided by</th></tr>");
        List<Judged> ordered = new ArrayList<>(judged);
        ordered.sort(java.util.Comparator.comparing(Judged::verdict));
        for (Judged j : ordered) {
            h.append("<tr class=\"claim\" data-verdict=\"").append(j.verdict().name().toLowerCase()).append("\"><td class=\"")
                    .append(j.verdict().name().toLowerCase()).append("\">").append(j.verdict().name().replace('_', ' ').toLowerCase())
                    .append("</td><td>").append(html(j.claim().text())).append("</td><td>");
            for (Outcome o : j.outcomes()) {
                h.append("<div>").append(o.status().equals("passed") ? "✔ " : o.status().equals("not run") ? "– " : "✘ ").append(html(o.scenario()));
                if (o.cause() != null && !o.status().equals("passed")) h.append(": <i>").append(html(o.cause())).append("</i>");
                h.append("</div>");
            }
            h.append("</td></tr>");
        }
        h.append("</table>");
        if (!figures.isEmpty()) {
            h.append("<h2>Measured in this run</h2>");
            figures.forEach((k, v) -> h.append("<h3>").append(html(k)).append("</h3><pre>").append(html(Secrets.redact(v))).append("</pre>"));
        }
        return h.append("</body></html>").toString();
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: SignOff RESULTS_DIR OUT_DIR [REPORT_DIR]");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        Map<String, String> figures = new LinkedHashMap<>();
        Map<String, Outcome> byName = outcomes(results, figures);
        List<Judged> judged = new ArrayList<>();
        for (Claim c : claims()) judged.add(judge(c, byName));
        String title = "Sign-off: the claims of the FRA incident write-up, as this run found them";
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        Files.writeString(out.resolve("sign-off.md"), markdown(judged, figures, title));
        if (args.length > 2) Files.writeString(Path.of(args[2]).resolve("sign-off.html"), html(title, judged, figures));
        long refuted = judged.stream().filter(j -> j.verdict() == Verdict.REFUTED).count();
        System.out.println("[sign-off] " + judged.stream().filter(j -> j.verdict() == Verdict.HOLDS).count() + " of " + judged.size()
                + " claims hold, " + refuted + " refuted: " + out.resolve("sign-off.md"));
    }
}
