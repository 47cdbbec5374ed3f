package dive.verify.report;

import dive.verify.instance.Instance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Scans a finished report for secret values, plain or encoded (URL, base64,
 * base64url). Run after the report is generated; a hit fails the run.
 *
 * <pre>java dive.verify.report.LeakScan REPORT_DIR INSTANCES_DIR...</pre>
 * Secrets are read from every instance's .env under the instance directories.
 */
public final class LeakScan {
    public record Leak(Path file, String secretHint) {}

    private LeakScan() {}

    public static List<Leak> scan(Path root) throws IOException {
        List<Leak> leaks = new ArrayList<>();
        var needles = Secrets.encodings();
        if (needles.isEmpty() || !Files.exists(root)) return leaks;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (Files.size(f) > 200_000_000) continue;
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String n : needles) {
                    if (text.contains(n)) {
                        // never print the value, not even a part of it
                        leaks.add(new Leak(f, n.length() + " characters"));
                        break;
                    }
                }
            }
        }
        return leaks;
    }

    /** Loads secrets from instance directories (each containing .env and instance.properties). */
    public static int loadSecrets(Path instancesRoot) throws IOException {
        if (!Files.isDirectory(instancesRoot)) return 0;
        int n = 0;
        try (Stream<Path> s = Files.walk(instancesRoot, 5)) {
            for (Path p : s.filter(f -> f.getFileName().toString().equals("instance.properties")).toList()) {
                Instance.load(p.getParent());
                n++;
            }
        }
        return n;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LeakScan REPORT_DIR INSTANCES_DIR...");
            System.exit(2);
        }
        int instances = 0;
        for (int i = 1; i < args.length; i++) instances += loadSecrets(Path.of(args[i]));
        List<Leak> leaks = scan(Path.of(args[0]));
        if (leaks.isEmpty()) {
            System.out.println("[leak-scan] no secret value of " + instances + " instance(s) found under " + args[0]);
            return;
        }
        System.err.println("[leak-scan] FAILED: secret values found in " + leaks.size() + " file(s):");
        leaks.forEach(l -> System.err.println("  " + l.file() + " (a secret of " + l.secretHint() + ")"));
        System.exit(1);
    }
}
