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
 * Secrets are read from every instance's .env under the instance directories,
 * and from the files in which runs left the tokens and codes they were issued
 * ({@link Secrets#RUNTIME_FILE}); those files are deleted after the scan.
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

    /** Registers the values runs left under {@code root}. @return the files read */
    public static List<Path> loadRuntimeSecrets(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(root)) return files;
        try (Stream<Path> s = Files.walk(root, 4)) {
            for (Path p : s.filter(f -> f.getFileName().toString().equals(Secrets.RUNTIME_FILE)).toList()) {
                Secrets.readFrom(p);
                files.add(p);
            }
        }
        return files;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: LeakScan REPORT_DIR INSTANCES_DIR...");
            System.exit(2);
        }
        int instances = 0;
        List<Path> runtime = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            instances += loadSecrets(Path.of(args[i]));
            runtime.addAll(loadRuntimeSecrets(Path.of(args[i])));
        }
        List<Leak> leaks = scan(Path.of(args[0]));
        // the issued tokens and codes are needed for this scan only
        for (Path p : runtime) Files.deleteIfExists(p);
        if (leaks.isEmpty()) {
            System.out.println("[leak-scan] no secret value of " + instances + " instance(s), nor any of the "
                    + Secrets.encodings().size() / 4 + " secrets, tokens and codes the runs registered, found under " + args[0]);
            return;
        }
        System.err.println("[leak-scan] FAILED: secret values found in " + leaks.size() + " file(s):");
        leaks.forEach(l -> System.err.println("  " + l.file() + " (a secret of " + l.secretHint() + ")"));
        System.exit(1);
    }
}
