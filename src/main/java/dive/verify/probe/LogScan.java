package dive.verify.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Forbidden and required log lines as first-class checks. Each rule has a
 * name and a pattern; allowed exceptions are explicit, and every match is
 * quoted with its container and line number.
 */
public final class LogScan {

    public record Rule(String name, Pattern pattern) {
        public static Rule literal(String name, String text) { return new Rule(name, Pattern.compile(Pattern.quote(text))); }
    }

    public record Match(String container, int lineNumber, String rule, String line) {
        @Override public String toString() { return container + ":" + lineNumber + " [" + rule + "] " + line; }
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
     * @param allowed    rule names allowed (e.g. the SPOKE_TOKEN line before registration)
     */
    public static List<Match> forbidden(Map<String, List<String>> logs, List<Rule> rules, List<String> allowed) {
        List<Match> out = new ArrayList<>();
        logs.forEach((container, lines) -> {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (RETRY_LINE.matcher(line).find()) continue;
                for (Rule r : rules) {
                    if (!allowed.contains(r.name()) && r.pattern().matcher(line).find()) {
                        out.add(new Match(container, i + 1, r.name(), dive.verify.report.Secrets.redact(line)));
                    }
                }
            }
        });
        return out;
    }

    public static Evidence evidence(List<Match> matches, int containers) {
        String what = "scan of " + containers + " container logs for forbidden lines";
        if (matches.isEmpty()) return Evidence.ok(what, "none found");
        StringBuilder sb = new StringBuilder(matches.size() + " forbidden line(s):");
        matches.stream().limit(20).forEach(m -> sb.append("\n    ").append(m));
        return Evidence.failed(what, sb.toString());
    }
}
