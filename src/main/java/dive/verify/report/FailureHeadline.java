package dive.verify.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one line a failed scenario opens with in the report:
 * {@code <check> on <instance>: <what was seen>}, e.g. "all nine services of
 * the spoke exist and are healthy on spoke FRA: missing containers: [kas-fra
 * (never created)]." Allure shows a result's message first (overview,
 * summary, the test's page), so the line is put in front of the assertion's
 * own message, which follows unchanged with the trace and attachments.
 *
 * <p>The check is the failing step as the feature words it; the instance is
 * the hub or spoke that step names, else the nearest earlier step that names
 * one (a step such as "all nine services of the spoke…" relies on the
 * Background for which spoke); what was seen is the assertion's first line.
 */
final class FailureHeadline {
    /** Longest "what was seen": one line in the overview, the whole message is below it. */
    static final int MAX_SEEN = 300;
    private static final Pattern KEYWORD = Pattern.compile("^(Given|When|Then|And|But|\\*)\\s+");
    /** hub "USA", spoke "FRA", spokes "FRA" and "GBR" */
    private static final Pattern INSTANCE = Pattern.compile("\\b(hub|spoke)s? \"([A-Z]{3})\"(?: and \"([A-Z]{3})\")?");
    /** AssertJ puts an as() description on a line of its own; what it saw follows on the next lines. */
    private static final Pattern ASSERTJ_DESCRIPTION = Pattern.compile("^\\[.*]\\s*$");

    private FailureHeadline() {}

    static boolean isFailure(JsonNode result) {
        String s = result.path("status").asText();
        return s.equals("failed") || s.equals("broken");
    }

    /** The headline of a failed or broken result, redacted; null for any other. */
    static String of(JsonNode result) {
        if (!isFailure(result)) return null;
        String message = result.path("statusDetails").path("message").asText("");
        String check = check(result);
        if (isHeadlined(message, check)) return Secrets.redact(firstLine(message));
        String subject = subject(result);
        return Secrets.redact(check + (subject.isEmpty() ? "" : " on " + subject) + ": " + seen(message));
    }

    /**
     * Puts the headline in front of a failed or broken result's message.
     * @return whether the result changed (not when it already has it: curating twice changes nothing)
     */
    static boolean apply(ObjectNode result) {
        if (!isFailure(result)) return false;
        String message = result.path("statusDetails").path("message").asText("");
        if (isHeadlined(message, check(result))) return false;
        String headline = of(result);
        ObjectNode details = result.has("statusDetails") && result.get("statusDetails").isObject()
                ? (ObjectNode) result.get("statusDetails") : result.putObject("statusDetails");
        details.put("message", message.isBlank() ? headline : headline + "\n\n" + message);
        return true;
    }

    private static boolean isHeadlined(String message, String check) {
        return message.startsWith(check + " on ") || message.startsWith(check + ": ");
    }

    /** The failing step without its keyword; when no step failed (a hook did), the scenario. */
    static String check(JsonNode result) {
        JsonNode step = failingStep(result);
        if (step == null) return result.path("name").asText("the scenario") + " (outside its steps)";
        return KEYWORD.matcher(step.path("name").asText()).replaceFirst("");
    }

    private static JsonNode failingStep(JsonNode result) {
        for (JsonNode s : result.path("steps")) if (isFailure(s)) return s;
        return null;
    }

    /** The instances the failing step names, else those of the nearest earlier step naming any: "spoke FRA". */
    static String subject(JsonNode result) {
        List<String> names = new ArrayList<>();
        JsonNode failing = failingStep(result);
        for (JsonNode s : result.path("steps")) {
            names.add(s.path("name").asText());
            if (s == failing) break;
        }
        for (int i = names.size() - 1; i >= 0; i--) {
            Set<String> named = instancesIn(names.get(i));
            if (!named.isEmpty()) return String.join(", ", named);
        }
        return "";
    }

    static Set<String> instancesIn(String step) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = INSTANCE.matcher(step);
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
            if (m.group(3) != null) out.add(m.group(1) + " " + m.group(3));
        }
        return out;
    }

    /** The assertion's first line (with what follows an AssertJ description), on one line, at most {@link #MAX_SEEN} characters. */
    static String seen(String message) {
        List<String> lines = message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) return "no message";
        String seen = lines.get(0);
        if (ASSERTJ_DESCRIPTION.matcher(seen).matches()) seen = String.join(" ", lines);
        seen = seen.replaceAll("\\s+", " ");
        return seen.length() <= MAX_SEEN ? seen : seen.substring(0, MAX_SEEN - 1) + "…";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
