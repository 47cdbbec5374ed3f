package dive.verify.deploy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One deployment of an instance at a time: two processes deploying the same
 * instance would remove each other's containers as leftovers. The lock is
 * the operating system's, so it goes away with a killed process.
 */
final class InstanceLock implements AutoCloseable {
    static final String NAME = ".deploy.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @param dir the instance directory; null (no state kept) means no lock */
    static InstanceLock acquire(Path dir, String project) {
        if (dir == null) return new InstanceLock(null, null);
        Path file = dir.resolve(NAME);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) throw busy(project, file);
            return new InstanceLock(ch, l);
        } catch (OverlappingFileLockException e) {
            close(ch);
            throw busy(project, file);
        } catch (IOException e) {
            close(ch);
            throw new DeploymentFailure(project, "nothing was created: cannot lock " + file + " (" + e.getMessage() + ")", List.of());
        } catch (DeploymentFailure e) {
            close(ch);
            throw e;
        }
    }

    private static DeploymentFailure busy(String project, Path file) {
        return new DeploymentFailure(project, "nothing was created: another deployment of this instance is in progress (it holds "
                + file + "); wait for it to end", List.of());
    }

    private static void close(FileChannel ch) {
        try {
            if (ch != null) ch.close();
        } catch (IOException ignored) {
            // closing releases the lock; nothing else to do
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) lock.release();
        } catch (IOException ignored) {
            // released with the channel below
        }
        close(channel);
    }
}
