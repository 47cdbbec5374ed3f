package dive.verify.template;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DependencyOrderTest {

    private static Map<String, Map<String, String>> deps(Object... serviceThenDeps) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (int i = 0; i < serviceThenDeps.length; i += 2) {
            @SuppressWarnings("unchecked") Map<String, String> d = (Map<String, String>) serviceThenDeps[i + 1];
            out.put((String) serviceThenDeps[i], d);
        }
        return out;
    }

    private static ServiceSpec spec(String key, Map<String, String> dependsOn) {
        return new ServiceSpec(key, "img", null, List.of(), List.of(), Map.of(), List.of(), List.of(), null, dependsOn,
                List.of(), Map.of("default", List.of()), Map.of(), null, null, null, List.of(), List.of(), 1, null, false);
    }

    @Test
    void withoutDependenciesTheFileOrderStaysAndNobodyWaits() {
        assertThat(DependencyOrder.order(deps("a", Map.of(), "b", Map.of(), "c", Map.of()))).containsExactly(
                new DependencyOrder.Start("a", Map.of()), new DependencyOrder.Start("b", Map.of()), new DependencyOrder.Start("c", Map.of()));
    }

    @Test
    void aServiceComesAfterItsDependenciesAndWaitsForTheirConditions() {
        var order = DependencyOrder.order(deps(
                "backend", Map.of("keycloak", "service_healthy", "migrate", "service_completed_successfully"),
                "keycloak", Map.of("postgres", "service_healthy"),
                "migrate", Map.of("postgres", "service_started"),
                "postgres", Map.of(),
                "frontend", Map.of()));
        assertThat(order).extracting(DependencyOrder.Start::service).containsExactly("postgres", "keycloak", "migrate", "backend", "frontend");
        assertThat(order.get(0).waits()).isEmpty();
        assertThat(order.get(1).waits()).containsExactly(Map.entry("postgres", "service_healthy"));
        assertThat(order.get(2).waits()).containsExactly(Map.entry("postgres", "service_started"));
        assertThat(order.get(3).waits()).containsOnly(Map.entry("keycloak", "service_healthy"),
                Map.entry("migrate", "service_completed_successfully"));
    }

    @Test
    void aDependencyOfAnEarlierStageIsReadyAlreadySoNotWaitedFor() {
        // opal-client (stage 2) on opa (stage 1): in stage 2 alone, nothing to wait for
        var order = DependencyOrder.order(deps("opal-client", Map.of("opa", "service_healthy"), "x", Map.of("opal-client", "service_started")));
        assertThat(order).containsExactly(new DependencyOrder.Start("opal-client", Map.of()),
                new DependencyOrder.Start("x", Map.of("opal-client", "service_started")));
    }

    @Test
    void forStageReadsTheServicesDependsOn() {
        ServiceSpec a = spec("a", Map.of("b", "service_healthy"));
        ServiceSpec b = spec("b", Map.of());
        assertThat(DependencyOrder.forStage(List.of(a, b))).containsExactly(new DependencyOrder.Start("b", Map.of()),
                new DependencyOrder.Start("a", Map.of("b", "service_healthy")));
    }

    @Test
    void aCycleIsRefusedNamingIt() {
        assertThatThrownBy(() -> DependencyOrder.order(deps("a", Map.of("b", "service_started"), "b", Map.of("c", "service_healthy"),
                "c", Map.of("a", "service_started"), "d", Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("depends_on forms a cycle: a → b → c → a");
        assertThatThrownBy(() -> DependencyOrder.order(deps("a", Map.of("a", "service_started"))))
                .hasMessage("depends_on forms a cycle: a → a");
    }

    @Test
    void cycleFindsOnlyRealCycles() {
        assertThat(DependencyOrder.cycle(Map.of("a", List.of("b", "c"), "b", List.of("c"), "c", List.of()))).isEmpty();
        assertThat(DependencyOrder.cycle(Map.of("a", List.of("elsewhere")))).isEmpty();
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("x", List.of("a"));
        g.put("a", List.of("b"));
        g.put("b", List.of("a"));
        assertThat(DependencyOrder.cycle(g)).contains(List.of("a", "b", "a"));
    }
}
