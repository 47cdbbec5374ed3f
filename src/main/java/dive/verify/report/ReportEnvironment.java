package dive.verify.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes what Allure shows beside the results: the failure categories
 * (so the overview groups failures by kind) and the environment of the run.
 */
public final class ReportEnvironment {
    private ReportEnvironment() {}

    /** Kinds of failure, matched on the failure message. Order matters: first match wins. */
    static final String CATEGORIES = """
            [
              {"name": "No Docker engine", "matchedStatuses": ["failed", "broken"], "messageRegex": "(?s).*No Docker engine is reachable.*"},
              {"name": "Deployment: a service did not come up", "matchedStatuses": ["failed", "broken"], "messageRegex": "(?s).*Deployment .* failed.*"},
              {"name": "Deployment: a declared service is missing", "matchedStatuses": ["failed", "broken"], "messageRegex": "(?s).*missing containers.*"},
              {"name": "Forbidden log line", "matchedStatuses": ["failed", "broken"], "messageRegex": "(?s).*forbidden line.*"},
              {"name": "Federation", "matchedStatuses": ["failed", "broken"], "messageRegex": "(?s).*(federation|SPOKE_TOKEN|heartbeat|registration).*"},
              {"name": "SSO / OIDC", "matchedStatuses": ["failed", "broken"], "messageRegex": "(?s).*(OIDC|token|realm|Keycloak).*"},
              {"name": "Policy (OPA / OPAL)", "matchedStatuses": ["failed", "broken"], "messageRegex": "(?s).*(OPA|OPAL|policy).*"},
              {"name": "Data services (MongoDB, Postgres, Redis)", "matchedStatuses": ["failed", "broken"], "messageRegex": "(?s).*(replSet|MongoDB|SQL|Redis|audit).*"},
              {"name": "Harness defect", "matchedStatuses": ["broken"]}
            ]
            """;

    public static void write(Path resultsDir, Map<String, String> extra) {
        try {
            Files.createDirectories(resultsDir);
            Files.writeString(resultsDir.resolve("categories.json"), CATEGORIES);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("harness", "dive-verify " + version());
            env.put("git.commit", gitCommit());
            env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
            env.put("java", System.getProperty("java.version"));
            env.putAll(extra);
            StringBuilder sb = new StringBuilder();
            env.forEach((k, v) -> sb.append(k).append('=').append(Secrets.redact(v).replace("\n", " ")).append('\n'));
            Files.writeString(resultsDir.resolve("environment.properties"), sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String version() {
        String v = ReportEnvironment.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }
}
