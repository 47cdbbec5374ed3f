package dive.verify.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * Whole-file replacement that survives being killed. The new content goes to a
 * temp file next to the target, is forced to disk, and is then renamed over the
 * target in one atomic step; so a kill (or power loss) at any moment leaves
 * either the old or the new content, never a torn or empty file.
 */
public final class AtomicFile {
    /** A temp file this old belongs to a writer that was killed, not to one still writing. */
    private static final Duration STALE = Duration.ofSeconds(60);

    private AtomicFile() {}

    public static void write(Path target, byte[] content) {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        String name = file.getFileName().toString();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failure(target, "creating directory " + dir, e);
        }
        removeStaleTemps(dir, name);

        Path temp = null;
        String step = "creating a temp file in " + dir;
        try {
            // Same directory as the target: a rename is only atomic within one file system.
            temp = Files.createTempFile(dir, "." + name + ".", ".tmp", ownerOnly(dir));
            step = "writing " + temp;
            try (FileChannel channel = FileChannel.open(temp, WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) channel.write(buffer);
                step = "syncing " + temp;
                // Without this the rename may reach the disk before the data does.
                channel.force(true);
            }
            step = "renaming " + temp + " over the target";
            Files.move(temp, file, ATOMIC_MOVE, REPLACE_EXISTING);
        } catch (IOException e) {
            UncheckedIOException failure = failure(target, step, e);
            deleteTemp(temp, failure);
            throw failure;
        }
        syncDirectory(dir);
    }

    /** The file's content, or empty when there is no such file. */
    public static Optional<byte[]> read(Path target) {
        try {
            return Optional.of(Files.readAllBytes(target));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + target + ": " + e, e);
        }
    }

    /** 0600 where the file system has POSIX permissions: the content may be sensitive. */
    private static FileAttribute<?>[] ownerOnly(Path dir) {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }

    /** Makes the rename itself durable; some platforms cannot open a directory, hence best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // The content is in place already; only its durability across a power loss is weaker.
        }
    }

    /** Best effort: leftovers of killed writers must not pile up, but they never block a write. */
    private static void removeStaleTemps(Path dir, String name) {
        String prefix = "." + name + ".", suffix = ".tmp";
        Instant cutoff = Instant.now().minus(STALE);
        DirectoryStream.Filter<Path> leftover = p -> {
            String n = p.getFileName().toString();
            return n.length() > prefix.length() + suffix.length() && n.startsWith(prefix) && n.endsWith(suffix);
        };
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, leftover)) {
            for (Path temp : temps) {
                try {
                    if (Files.getLastModifiedTime(temp).toInstant().isBefore(cutoff)) Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Another writer may have removed it meanwhile; the next write tries again.
                }
            }
        } catch (IOException ignored) {
            // Listing failed: the write itself will report whatever is wrong with the directory.
        }
    }

    private static void deleteTemp(Path temp, UncheckedIOException failure) {
        if (temp == null) return;
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static UncheckedIOException failure(Path target, String step, IOException e) {
        return new UncheckedIOException("cannot write " + target + ": " + step + " failed: " + e, e);
    }
}
