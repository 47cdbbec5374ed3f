package dive.verify.deploy;

import dive.verify.report.Secrets;

import java.time.Duration;
import java.time.Instant;

/** Console progress of long work: what stage, which service, how long, what is being waited on. */
public final class Progress {
    private final String deployment;
    private final Instant start = Instant.now();

    public Progress(String deployment) { this.deployment = deployment; }

    public void say(String message) {
        Duration d = Duration.between(start, Instant.now());
        System.out.printf("[deploy %s +%5.1fs] %s%n", deployment, d.toMillis() / 1000.0, Secrets.redact(message));
        System.out.flush();
    }
}
