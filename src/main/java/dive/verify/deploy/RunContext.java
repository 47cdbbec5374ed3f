package dive.verify.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

/**
 * One run of the harness: its id (a label on everything it creates, so a
 * later run can sweep what a killed one left), where it writes logs, and
 * whether deployments are kept afterwards.
 */
public final class RunContext {
    public static final String PROJECT_LABEL = "org.dive-verify.project";
    public static final String PROJECT = "dive-verify";
    public static final String RUN_LABEL = "org.dive-verify.run";
    public static final String DEPLOYMENT_LABEL = "org.dive-verify.deployment";
    public static final String SERVICE_LABEL = "org.dive-verify.service";
    public static final String KEEP_LABEL = "org.dive-verify.keep";

    public enum Keep { NEVER, ON_FAILURE, ALWAYS }

    private static volatile RunContext current;

    private final String runId;
    private final Path workDir;
    private final Keep keep;

    private RunContext(String runId, Path workDir, Keep keep) {
        this.runId = runId;
        this.workDir = workDir;
        this.keep = keep;
    }

    /** The run of this JVM, created on first use from system properties. */
    public static synchronized RunContext current() {
        if (current == null) {
            String id = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                    + UUID.randomUUID().toString().substring(0, 6);
            Path root = Path.of(System.getProperty("dive.repo.root", ".")).toAbsolutePath().normalize();
            current = new RunContext(id, root.resolve("target/dive-verify/" + id), parseKeep(System.getProperty("dive.keep", "never")));
        }
        return current;
    }

    static Keep parseKeep(String value) {
        return switch (value.trim().toLowerCase()) {
            case "never", "", "false" -> Keep.NEVER;
            case "on-failure" -> Keep.ON_FAILURE;
            case "always", "true" -> Keep.ALWAYS;
            default -> throw new IllegalArgumentException("dive.keep=\"" + value + "\" is invalid: expected never, on-failure or always");
        };
    }

    public String runId() { return runId; }

    public Keep keep() { return keep; }

    public Path workDir() {
        try {
            Files.createDirectories(workDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return workDir;
    }

    public Path logDir() {
        Path p = workDir().resolve("logs");
        try {
            Files.createDirectories(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }

    public Map<String, String> labels(String deployment) {
        return Map.of(PROJECT_LABEL, PROJECT, RUN_LABEL, runId, DEPLOYMENT_LABEL, deployment);
    }
}
