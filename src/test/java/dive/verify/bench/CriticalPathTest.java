package dive.verify.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CriticalPathTest {
    private static Duration s(double seconds) { return Duration.ofMillis(Math.round(seconds * 1000)); }

    @Test
    void theLongestChainOfOwnTimesAlongDependsOn() {
        // a spoke's shape: keycloak needs only postgres; backend needs mongodb, postgres, opa
        Map<String, Duration> own = new LinkedHashMap<>();
        own.put("postgres", s(3.4));
        own.put("mongodb", s(9.6));
        own.put("opa", s(2.0));
        own.put("keycloak", s(25));
        own.put("backend", s(4));
        own.put("frontend", s(2));
        Map<String, Set<String>> deps = Map.of("keycloak", Set.of("postgres"), "backend", Set.of("mongodb", "postgres", "opa"),
                "frontend", Set.of("backend", "keycloak"));
        CriticalPath p = CriticalPath.of(own, deps);
        assertThat(p.total()).isEqualTo(s(30.4));
        assertThat(p.chain()).containsExactly("postgres", "keycloak", "frontend");
    }

    @Test
    void independentServicesAreAsLongAsTheSlowest() {
        CriticalPath p = CriticalPath.of(Map.of("a", s(1), "b", s(5)), Map.of());
        assertThat(p.total()).isEqualTo(s(5));
        assertThat(p.chain()).containsExactly("b");
    }

    @Test
    void aDependencyThatWasNotDeployedCountsNothing() {
        CriticalPath p = CriticalPath.of(Map.of("backend", s(4)), Map.of("backend", Set.of("mongodb")));
        assertThat(p.total()).isEqualTo(s(4));
        assertThat(p.describe()).isEqualTo("4.0 s (backend)");
    }

    @Test
    void nothingDeployedIsZero() {
        assertThat(CriticalPath.of(Map.of(), Map.of()).total()).isZero();
        assertThat(CriticalPath.of(Map.of(), Map.of()).chain()).isEqualTo(List.of());
    }

    @Test
    void aCycleIsRefusedByName() {
        Map<String, Duration> own = new LinkedHashMap<>();
        own.put("a", s(1));
        own.put("b", s(1));
        assertThatThrownBy(() -> CriticalPath.of(own, Map.of("a", Set.of("b"), "b", Set.of("a"))))
                .hasMessageContaining("cycle through");
    }
}
