package dive.verify.report;

import dive.verify.report.SignOff.Judged;
import dive.verify.report.SignOff.Outcome;
import dive.verify.report.SignOff.Verdict;

import java.util.List;
import java.util.Map;

/**
 * Lays out the judged claims (already in the order of {@link SignOff#judgeAll}):
 * a refuted claim carries, under its text, each failed scenario's headline
 * with a link to its page in the report; a claim not run, why its skipped
 * scenarios were skipped. The HTML has data attributes the report check reads.
 */
final class SignOffPage {
    private SignOffPage() {}

    private static long count(List<Judged> judged, Verdict v) { return judged.stream().filter(j -> j.verdict() == v).count(); }

    private static String counts(List<Judged> judged) {
        long holds = count(judged, Verdict.HOLDS), refuted = count(judged, Verdict.REFUTED);
        return holds + " of " + judged.size() + " claims hold, " + refuted + " refuted, " + count(judged, Verdict.NOT_RUN) + " not run.";
    }

    private static String mark(Outcome o) { return o.passed() ? "✔ " : o.notRun() ? "– " : "✘ "; }

    /** The outcomes whose cause is shown under the claim: failures of a refuted claim, skips of one not run. */
    private static List<Outcome> causes(Judged j) {
        return j.explainingFirst().stream().filter(o -> o.cause() != null
                && (j.verdict() == Verdict.REFUTED ? o.refutes() : j.verdict() == Verdict.NOT_RUN && o.notRun())).toList();
    }

    private static String verdictWord(Verdict v) { return v.name().replace('_', ' ').toLowerCase(); }

    /** @param reportDir the report's directory relative to the Markdown file (for the links), null for none */
    static String markdown(String title, List<Judged> judged, Map<String, String> figures, String reportDir) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n**").append(counts(judged)).append("**\n\n");
        md.append("| verdict | claim of the seed's write-up | decided by |\n|---|---|---|\n");
        for (Judged j : judged) {
            StringBuilder claim = new StringBuilder(md(j.claim().text()));
            for (Outcome o : causes(j)) claim.append("<br>").append(mark(o)).append("**").append(mdLink(o, reportDir)).append("**: ").append(md(o.cause()));
            StringBuilder by = new StringBuilder();
            for (Outcome o : j.explainingFirst()) {
                if (by.length() > 0) by.append("<br>");
                by.append(mark(o)).append(mdLink(o, reportDir)).append(o.passed() || o.status().equals(SignOff.NOT_RUN) ? "" : " (" + o.status() + ")");
            }
            String badge = switch (j.verdict()) { case HOLDS -> "✅ holds"; case REFUTED -> "❌ refuted"; case NOT_RUN -> "⚪ not run"; };
            md.append("| ").append(badge).append(" | ").append(claim).append(" | ").append(by).append(" |\n");
        }
        if (!figures.isEmpty()) {
            md.append("\n## Measured in this run\n\n");
            figures.forEach((k, v) -> md.append("**").append(k).append("**\n\n```\n").append(Secrets.redact(v)).append("\n```\n\n"));
        }
        return md.toString();
    }

    private static String mdLink(Outcome o, String reportDir) {
        String name = md(o.scenario());
        return o.page() == null || reportDir == null ? name : "[" + name.replace("]", "\\]") + "](" + reportDir + "/" + o.page() + ")";
    }

    /** A table cell's text: no pipe, no line break, no HTML (a summary page renders inline HTML). */
    private static String md(String s) { return s.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;"); }

    static String html(String title, List<Judged> judged, Map<String, String> figures) {
        StringBuilder h = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append("</title><style>body{font-family:sans-serif;margin:2em;max-width:80em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top}"
                        + ".holds{color:#1a7f37}.refuted{color:#cf222e;font-weight:bold}.not_run{color:#777}"
                        + ".cause{margin-top:.4em}tr[data-verdict=refuted] .cause{color:#cf222e}"
                        + "pre{background:#f6f8fa;padding:.6em}</style></head><body>");
        h.append("<h1>").append(esc(title)).append("</h1>");
        h.append("<p id=\"counts\" data-claims=\"").append(judged.size()).append("\" data-holds=\"").append(count(judged, Verdict.HOLDS))
                .append("\" data-refuted=\"").append(count(judged, Verdict.REFUTED)).append("\"><b>").append(counts(judged))
                .append("</b> Details of every scenario: <a href=\"index.html\">the Allure report</a>.</p>");
        h.append("<table id=\"claims\"><tr><th>verdict</th><th>claim of the seed's write-up</th><th>decided by</th></tr>");
        for (Judged j : judged) {
            String v = j.verdict().name().toLowerCase();
            h.append("<tr class=\"claim\" data-verdict=\"").append(v).append("\"><td class=\"").append(v).append("\">")
                    .append(verdictWord(j.verdict())).append("</td><td>").append(esc(j.claim().text()));
            for (Outcome o : causes(j)) {
                h.append("<div class=\"cause\">").append(mark(o)).append(htmlLink(o)).append(": <span class=\"headline\">").append(esc(o.cause()))
                        .append("</span></div>");
            }
            h.append("</td><td>");
            for (Outcome o : j.explainingFirst()) {
                h.append("<div class=\"outcome\" data-status=\"").append(esc(o.status())).append("\">").append(mark(o)).append(htmlLink(o))
                        .append(o.passed() || o.status().equals(SignOff.NOT_RUN) ? "" : " (" + esc(o.status()) + ")").append("</div>");
            }
            h.append("</td></tr>");
        }
        h.append("</table>");
        if (!figures.isEmpty()) {
            h.append("<h2>Measured in this run</h2>");
            figures.forEach((k, v) -> h.append("<h3>").append(esc(k)).append("</h3><pre>").append(esc(Secrets.redact(v))).append("</pre>"));
        }
        return h.append("</body></html>").toString();
    }

    /** sign-off.html lies in the report's directory: the pages are relative to it as they are. */
    private static String htmlLink(Outcome o) {
        return o.page() == null ? esc(o.scenario()) : "<a class=\"scenario\" href=\"" + esc(o.page()) + "\">" + esc(o.scenario()) + "</a>";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
