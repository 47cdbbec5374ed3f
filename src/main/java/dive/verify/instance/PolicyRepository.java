package dive.verify.instance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The git repository the hub's OPAL server serves policies from (OPAL serves
 * git repositories, not directories). Made from {@code templates/policies}
 * inside the hub's instance directory, so nothing comes from the internet;
 * publishing a policy change is a commit here.
 */
public final class PolicyRepository {
    private final Path repo;

    public PolicyRepository(Path repo) { this.repo = repo; }

    public Path path() { return repo; }

    /** Copies the policies in and commits when anything changed. @return true when a commit was made */
    public boolean sync(Path policies, String message) {
        try {
            if (!Files.isDirectory(repo.resolve(".git"))) {
                Files.createDirectories(repo);
                git("init", "-q", "-b", "master");
            }
            try (Stream<Path> s = Files.walk(policies)) {
                for (Path src : s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".rego") || p.toString().endsWith(".json")).toList()) {
                    Path dst = repo.resolve(policies.relativize(src).toString());
                    Files.createDirectories(dst.getParent());
                    if (!Files.exists(dst) || !java.util.Arrays.equals(Files.readAllBytes(src), Files.readAllBytes(dst))) {
                        Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            return commitIfChanged(message);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the policy repository " + repo + ": " + e.getMessage(), e);
        }
    }

    /** Writes one file (relative path) and commits it: how a policy change is published. */
    public void publish(String relativePath, String content, String message) {
        try {
            Path f = repo.resolve(relativePath);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content);
            commitIfChanged(message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String head() { return git("rev-parse", "HEAD").trim(); }

    private boolean commitIfChanged(String message) {
        if (git("status", "--porcelain").isBlank()) return false;
        git("add", "-A");
        git("-c", "user.name=dive-verify", "-c", "user.email=dive-verify@localhost", "commit", "-q", "-m", message);
        return true;
    }

    private String git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + repo + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("git is needed to prepare the hub's policy repository, and it could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running git", e);
        }
    }
}
