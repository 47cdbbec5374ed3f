package dive.verify.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void readsBackWhatWasWritten() {
        Path target = dir.resolve("state.json");
        assertThat(AtomicFile.read(target)).isEmpty();

        AtomicFile.write(target, "hello".getBytes(UTF_8));

        assertThat(AtomicFile.read(target)).hasValueSatisfying(b -> assertThat(b).asString(UTF_8).isEqualTo("hello"));
    }

    @Test
    void overwriteReplacesTheWholeContent() {
        Path target = dir.resolve("state.json");
        AtomicFile.write(target, "a much longer first version".getBytes(UTF_8));
        AtomicFile.write(target, "short".getBytes(UTF_8));

        assertThat(target).hasContent("short");
    }

    @Test
    void leavesNoTempFilesBehind() throws IOException {
        Path target = dir.resolve("state.json");
        AtomicFile.write(target, "one".getBytes(UTF_8));
        AtomicFile.write(target, "two".getBytes(UTF_8));

        assertThat(list(dir)).containsExactly(target);
    }

    @Test
    void createsMissingParentDirectories() {
        Path target = dir.resolve("a/b/state.json");
        AtomicFile.write(target, "x".getBytes(UTF_8));

        assertThat(target).hasContent("x");
    }

    @Test
    void isReadableByTheOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path target = dir.resolve("state.json");
        AtomicFile.write(target, "secret".getBytes(UTF_8));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    }

    @Test
    void removesStaleTempFilesOfKilledWritersButNotFreshOnes() throws IOException {
        Path target = dir.resolve("state.json");
        Path stale = Files.writeString(dir.resolve(".state.json.111.tmp"), "torn");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(120)));
        // A concurrent writer may still be about to rename this one.
        Path fresh = Files.writeString(dir.resolve(".state.json.222.tmp"), "in progress");

        AtomicFile.write(target, "x".getBytes(UTF_8));

        assertThat(list(dir)).containsExactlyInAnyOrder(target, fresh);
    }

    @Test
    void failureNamesThePathAndKeepsTheOldContent() throws IOException {
        // A directory where the file should be makes the rename fail, even for root.
        Path target = Files.createDirectory(dir.resolve("state.json"));
        Path old = Files.writeString(target.resolve("old"), "old content");

        assertThatThrownBy(() -> AtomicFile.write(target, "new".getBytes(UTF_8)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(target.toString())
                .hasMessageContaining("renaming");

        assertThat(old).hasContent("old content");
        assertThat(list(dir)).as("temp file removed after the failure").containsExactly(target);
    }

    /**
     * Kills a writer at random moments with SIGKILL: the file must always hold
     * one complete document. Each round continues on the file the last one left.
     */
    @Test
    void survivesBeingKilledMidWrite() throws Exception {
        Path target = dir.resolve("state.json");
        Random random = new Random();
        long lastSeq = -1;
        for (int round = 1; round <= 15; round++) {
            int killAfterMs = 5 + random.nextInt(146);
            String where = "round " + round + " (killed " + killAfterMs + " ms after ready)";

            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Writer.class.getName(), target.toString())
                    .redirectErrorStream(true)
                    .start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
                String first = CompletableFuture.supplyAsync(() -> readLine(out)).get(20, TimeUnit.SECONDS);
                assertThat(first).as("%s: writer should report ready", where).isEqualTo("ready");
                Thread.sleep(killAfterMs);
            } finally {
                child.destroyForcibly();
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("round %d: writer did not die", round).isTrue();
            }

            Optional<byte[]> bytes = AtomicFile.read(target);
            assertThat(bytes).as("%s: target missing", where).isPresent();
            Doc doc = parse(bytes.get(), where);
            assertThat(doc.check()).as("%s: seq %d has a padding that does not match its checksum", where, doc.seq())
                    .isEqualTo(sha256(doc.padding()));
            assertThat(doc.seq()).as("%s: the file went back to an older document", where).isGreaterThan(lastSeq);
            lastSeq = doc.seq();
        }
    }

    record Doc(long seq, String padding, String check) {}

    /** The child process of the kill test: writes ever newer documents until it is killed. */
    public static final class Writer {
        public static void main(String[] args) throws IOException {
            Path target = Path.of(args[0]);
            Optional<byte[]> previous = AtomicFile.read(target);
            long seq = previous.isPresent() ? JSON.readValue(previous.get(), Doc.class).seq() + 1 : 0;
            Random random = new Random();
            for (boolean first = true; ; first = false) {
                String padding = "x".repeat(random.nextInt(200_001));
                AtomicFile.write(target, JSON.writeValueAsBytes(new Doc(seq++, padding, sha256(padding))));
                if (first) {
                    System.out.println("ready");
                    System.out.flush();
                }
            }
        }
    }

    private static Doc parse(byte[] bytes, String where) {
        try {
            return JSON.readValue(bytes, Doc.class);
        } catch (IOException e) {
            String head = new String(bytes, 0, Math.min(bytes.length, 60), UTF_8);
            return fail("%s: torn file (%d bytes, starts with '%s'): %s", where, bytes.length, head, e.getMessage());
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
