package dive.verify.instance;

import dive.verify.template.EnvFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * An instance's {@code .env}: secrets and settings, mode 0600. Values are
 * only ever appended (never rewritten), so a user's own value always wins.
 */
public final class EnvFile {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path path;

    public EnvFile(Path path) { this.path = path; }

    public Path path() { return path; }

    public Map<String, String> read() {
        if (!Files.exists(path)) return Map.of();
        return EnvFiles.read(path, path.toString(), 0);
    }

    /** Creates the file empty with mode 0600 when it does not exist; tightens the mode otherwise. */
    public void ensureExists(String header) {
        try {
            if (!Files.exists(path)) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(path, header, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } else if (!Files.getPosixFilePermissions(path).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(path, OWNER_ONLY);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets values (replacing a key's line in place, or appending it): for
     * values that a later step legitimately renews, such as registration tokens.
     * Atomic like {@link #append}.
     */
    public void put(String comment, Map<String, String> entries) {
        try {
            java.util.List<String> lines = Files.exists(path) ? new java.util.ArrayList<>(Files.readAllLines(path)) : new java.util.ArrayList<>();
            Map<String, String> rest = new java.util.LinkedHashMap<>(entries);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                int eq = l.indexOf('=');
                if (eq > 0 && rest.containsKey(l.substring(0, eq).strip())) {
                    String k = l.substring(0, eq).strip();
                    lines.set(i, k + "=" + rest.remove(k));
                }
            }
            StringBuilder sb = new StringBuilder(String.join("\n", lines));
            if (!lines.isEmpty()) sb.append('\n');
            if (!rest.isEmpty()) {
                if (comment != null) sb.append("\n# ").append(comment).append('\n');
                rest.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            }
            replaceAtomically(sb);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends {@code KEY=value} lines atomically (write a copy, then rename), so
     * a crash leaves the old or the new file, never a torn one.
     */
    public void append(String comment, Map<String, String> entries) {
        if (entries.isEmpty()) return;
        try {
            String old = Files.exists(path) ? Files.readString(path) : "";
            StringBuilder sb = new StringBuilder(old);
            if (!old.isEmpty() && !old.endsWith("\n")) sb.append('\n');
            if (comment != null) sb.append("\n# ").append(comment).append('\n');
            entries.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            replaceAtomically(sb);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes a 0600 copy, then renames it over the file: a crash leaves the old or the new file, never a torn one. */
    private void replaceAtomically(CharSequence content) throws IOException {
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
