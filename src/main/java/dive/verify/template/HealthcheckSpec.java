package dive.verify.template;

import java.time.Duration;
import java.util.List;

/**
 * A compose healthcheck. {@code test} is in Docker's form: first element
 * {@code CMD} or {@code CMD-SHELL}; a disabled check is {@code null} at the service.
 */
public record HealthcheckSpec(List<String> test, Duration interval, Duration timeout, int retries, Duration startPeriod) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_RETRIES = 3;
}
