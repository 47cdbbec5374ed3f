package dive.verify.template;

import java.time.Duration;
import java.util.Map;

/**
 * Per-service start budgets of the real DIVE pipeline (seconds), used when the
 * template does not set {@code dive.deploy.start-budget}.
 */
public final class StartBudgets {
    private static final Map<String, Integer> SECONDS = Map.of(
            "postgres", 60, "mongodb", 90, "redis", 30, "keycloak", 180, "opa", 30,
            "opal-client", 60, "opal-server", 60, "backend", 120, "frontend", 90, "kas", 60);
    /** Overall health wait of the real pipeline. */
    public static final Duration OVERALL = Duration.ofSeconds(300);
    private static final int FALLBACK = 120;

    private StartBudgets() {}

    public static Duration forKind(String kind) {
        return Duration.ofSeconds(SECONDS.getOrDefault(kind, FALLBACK));
    }
}
