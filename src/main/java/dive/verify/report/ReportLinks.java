package dive.verify.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where each test's page is in a generated Allure 2 report. Allure gives every
 * test case a uid of its own when it generates the report, so the page of a
 * result is found through the historyId the result and the test case share.
 */
final class ReportLinks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportLinks() {}

    /** historyId → the test's page, relative to the report's directory ({@code index.html#testresult/UID}). */
    static Map<String, String> pages(Path reportDir) throws IOException {
        Map<String, String> out = new HashMap<>();
        Path cases = reportDir.resolve("data").resolve("test-cases");
        if (!Files.isDirectory(cases)) return out;
        try (Stream<Path> s = Files.list(cases)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode c = JSON.readTree(f.toFile());
                String history = c.path("historyId").asText(null);
                String uid = c.path("uid").asText(null);
                if (history == null || uid == null) continue;
                // retries share the historyId; the latest attempt is the one Allure does not mark as a retry
                if (!c.path("retry").asBoolean(false) || !out.containsKey(history)) out.put(history, "index.html#testresult/" + uid);
            }
        }
        return out;
    }
}
