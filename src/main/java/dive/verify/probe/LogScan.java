package dive.verify.probe;

import dive.verify.deploy.ContainerLog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Forbidden and required log lines as first-class checks. Each rule has a
 * name and a pattern; allowed exceptions are explicit (and bounded in time
 * where the contract bounds them: "before registration"), and every match is
 * quoted with its container and line number.
 */
public final class LogScan {

    public record Rule(String name, Pattern pattern) {
        public static Rule literal(String name, String text) { return new Rule(name, Pattern.compile(Pattern.quote(text))); }
    }

    /** A forbidden line; {@code note} says why an otherwise excused rule was not excused (or is null). */
    public record Match(String container, int lineNumber, String rule, String line, String note) {
        public Match(String container, int lineNumber, String rule, String line) { this(container, lineNumber, rule, line, null); }

        @Override public String toString() {
            return container + ":" + lineNumber + " [" + rule + "] " + line + (note == null ? "" : " (" + note + ")");
        }
    }

    /** The contract's lines that mark a broken deployment. */
    public static final List<Rule> FORBIDDEN = List.of(
            Rule.literal("OPAL master token missing", "OPAL_AUTH_MASTER_TOKEN not set"),
            Rule.literal("DATABASE_URL missing", "DATABASE_URL not configured"),
            new Rule("MongoDB not primary", Pattern.compile("not primary", Pattern.CASE_INSENSITIVE)),
            Rule.literal("MongoDB indexes failed", "Failed to create MongoDB indexes"),
            Rule.literal("Redis default config", "no config file specified, using the default config"),
            Rule.literal("redis-cli password warning", "Using a password with '-a' or '-u' option on the command line interface may not be safe"),
            Rule.literal("SPOKE_TOKEN missing", "SPOKE_TOKEN environment variable is required for spoke mode"));

    /** Allowed while retrying: "MongoDB not PRIMARY yet (attempt N/5)" is fine unless the final attempt fails. */
    public static final Pattern RETRY_LINE = Pattern.compile("MongoDB not PRIMARY yet \\(attempt [1-4]/5\\)");

    private LogScan() {}

    /**
     * @param logs       container name → lines
     * @param allowed    rule names allowed anywhere in the logs
     */
    public static List<Match> forbidden(Map<String, List<String>> logs, List<Rule> rules, List<String> allowed) {
        Map<String, List<ContainerLog.Line>> timed = new java.util.LinkedHashMap<>();
        logs.forEach((container, lines) -> timed.put(container, lines.stream().map(l -> new ContainerLog.Line(Instant.EPOCH, l)).toList()));
        return forbidden(timed, rules, allowed, null);
    }

    /**
     * Forbidden lines, where the rules named in {@code allowedBeforeRegistration}
     * (e.g. "SPOKE_TOKEN missing") are excused only in lines written before the
     * registration: a spoke warns that it has no token until it is given one,
     * and never after.
     *
     * @param logs                      container name → lines with the time each was written
     * @param allowedBeforeRegistration rule names excused before {@code registeredAt}
     * @param registeredAt              when the instance was registered; null when it never was
     *                                  (then its whole log was written before registration)
     */
    public static List<Match> forbidden(Map<String, List<ContainerLog.Line>> logs, List<Rule> rules, List<String> allowedBeforeRegistration,
                                        Instant registeredAt) {
        List<Match> out = new ArrayList<>();
        logs.forEach((container, lines) -> {
            for (int i = 0; i < lines.size(); i++) {
                ContainerLog.Line line = lines.get(i);
                if (RETRY_LINE.matcher(line.text()).find()) continue;
                for (Rule r : rules) {
                    if (!r.pattern().matcher(line.text()).find()) continue;
                    boolean excusable = allowedBeforeRegistration.contains(r.name());
                    if (excusable && beforeRegistration(line.at(), registeredAt)) continue;
                    out.add(new Match(container, i + 1, r.name(), dive.verify.report.Secrets.redact(line.text()),
                            excusable ? "written " + line.at() + ", after the registration at " + registeredAt : null));
                }
            }
        });
        return out;
    }

    /** A line written at {@code at} came before the registration (all do when there was none). */
    static boolean beforeRegistration(Instant at, Instant registeredAt) {
        return registeredAt == null || at.isBefore(registeredAt);
    }

    public static Evidence evidence(List<Match> matches, int containers) {
        String what = "scan of " + containers + " container logs for forbidden lines";
        if (matches.isEmpty()) return Evidence.ok(what, "none found");
        StringBuilder sb = new StringBuilder(matches.size() + " forbidden line(s):");
        matches.stream().limit(20).forEach(m -> sb.append("\n    ").append(m));
        return Evidence.failed(what, sb.toString());
    }
}
