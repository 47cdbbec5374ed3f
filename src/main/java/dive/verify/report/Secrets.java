package dive.verify.report;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one registry of secret values of a run. Everything that leaves the
 * harness (console, step text, attachments, exception messages) goes through
 * {@link #redact}, and the finished report is scanned with {@link #encodings}.
 */
public final class Secrets {
    private static final Set<String> VALUES = ConcurrentHashMap.newKeySet();
    /** Values shorter than this are not treated as secrets (they would redact ordinary words). */
    private static final int MIN_LENGTH = 6;

    private Secrets() {}

    public static void register(String value) {
        if (value != null && value.length() >= MIN_LENGTH) VALUES.add(value);
    }

    public static boolean isSecret(String value) { return value != null && VALUES.contains(value); }

    /** Replaces every registered value (and its URL-encoded form) with {@code ***}. */
    public static String redact(String text) {
        if (text == null || VALUES.isEmpty()) return text;
        String out = text;
        List<String> sorted = VALUES.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String v : sorted) {
            out = out.replace(v, "***");
            String enc = URLEncoder.encode(v, StandardCharsets.UTF_8);
            if (!enc.equals(v)) out = out.replace(enc, "***");
        }
        return out;
    }

    /** Every form in which a secret could leak into a report: plain, URL-, base64- and base64url-encoded. */
    public static Set<String> encodings() {
        Set<String> out = new LinkedHashSet<>();
        for (String v : VALUES) {
            out.add(v);
            out.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            out.add(Base64.getEncoder().withoutPadding().encodeToString(b));
            out.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        }
        return out;
    }

    /** The file in which a run leaves its secrets for the leak scan of the finished report (see {@link LeakScan}). */
    public static final String RUNTIME_FILE = "runtime-secrets.b64";

    /**
     * Writes every value registered in this JVM (tokens and authorization codes
     * issued during the run included, which no .env holds) to {@code file},
     * base64 per line, readable by the owner only. The leak scan reads and
     * deletes it; without it a leaked token could not be recognised afterwards.
     */
    public static void writeFor(java.nio.file.Path file) throws java.io.IOException {
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        java.nio.file.Files.deleteIfExists(tmp);
        java.nio.file.Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        StringBuilder sb = new StringBuilder();
        for (String v : VALUES) sb.append(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))).append('\n');
        java.nio.file.Files.writeString(tmp, sb);
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Registers the values a run left in {@code file} (see {@link #writeFor}). @return how many */
    public static int readFrom(java.nio.file.Path file) throws java.io.IOException {
        int n = 0;
        for (String line : java.nio.file.Files.readAllLines(file)) {
            if (line.isBlank()) continue;
            register(new String(Base64.getDecoder().decode(line.trim()), StandardCharsets.UTF_8));
            n++;
        }
        return n;
    }

    /** For tests only. */
    public static void clear() { VALUES.clear(); }
}
