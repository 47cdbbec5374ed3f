package dive.verify.deploy;

import java.time.Duration;

/** How long a stage or a service took to become ready. */
public record Timing(String what, int stage, Duration duration, String outcome) {
    public String format() {
        return String.format("%-28s stage %d  %6.1f s  %s", what, stage, duration.toMillis() / 1000.0, outcome);
    }
}
