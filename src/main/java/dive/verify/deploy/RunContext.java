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
    /** The stage that created a container or volume, so a stage can be rolled back on its own. */
    public static final String STAGE_LABEL = "org.dive-verify.stage";
    /** Process and host of the run: a sweep removes only what a run that is no longer alive left. */
    public static final String PID_LABEL = "org.dive-verify.pid";
    public static final String HOST_LABEL = "org.dive-verify.host";

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
        Map<String, String> labels = new java.util.LinkedHashMap<>(Map.of(PROJECT_LABEL, PROJECT, RUN_LABEL, runId, DEPLOYMENT_LABEL, deployment,
                PID_LABEL, String.valueOf(ProcessHandle.current().pid()), HOST_LABEL, host()));
        if (keep != Keep.NEVER) labels.put(KEEP_LABEL, "true");
        return labels;
    }

    static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /**
     * Whether the run that labelled a resource may still be using it: it is
     * this run, or its process is alive on this host. Resources from another
     * host are assumed alive (we cannot tell), so only "clean" removes them.
     */
    static boolean ownerAlive(Map<String, String> labels) {
        if (labels == null) return false;
        if (current().runId.equals(labels.get(RUN_LABEL))) return true;
        String pid = labels.get(PID_LABEL), host = labels.get(HOST_LABEL);
        if (pid == null || host == null) return false; // labelled before pids were recorded: a finished run
        if (!host.equals(host())) return true;
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
