package dive.verify.deploy;

import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Stages as the order of record while services start by dependency: announced, completed and checkpointed in order. */
class StageTrackerTest {
    @TempDir Path dir;
    DeploymentPlan plan;
    final List<String> events = new ArrayList<>();
    StageTracker tracker;

    @BeforeEach
    void spoke() {
        plan = Plans.load(dir, "compose.yml", """
                services:
                  postgres: {image: x, labels: {dive.deploy.stage: "1"}}
                  mongodb: {image: x, labels: {dive.deploy.stage: "1"}}
                  opal: {image: x, depends_on: [postgres], labels: {dive.deploy.stage: "2"}}
                  keycloak: {image: x, depends_on: [postgres], labels: {dive.deploy.stage: "3"}}
                  kas: {image: x, labels: {dive.deploy.stage: "4"}}
                """, Map.of());
        Map<Integer, List<ServiceSpec>> byStage = new LinkedHashMap<>();
        for (int st : plan.stages()) byStage.put(st, plan.servicesOfStage(st));
        tracker = new StageTracker(byStage, st -> events.add("start " + st),
                (st, services, took) -> events.add("complete " + st),
                (st, notReady) -> events.add("lowest " + st + " " + notReady));
        tracker.begin();
    }

    private ServiceSpec s(String key) { return plan.service(key); }

    @Test
    void aLaterStageReadyFirstIsCompletedOnlyAfterTheEarlierOnes() {
        tracker.starting(s("postgres"));
        tracker.starting(s("mongodb"));
        tracker.ready(s("postgres"));
        tracker.starting(s("keycloak"));
        tracker.ready(s("keycloak")); // stage 3 is ready before stage 1
        assertThat(events).doesNotContain("complete 3");
        tracker.starting(s("opal"));
        tracker.ready(s("opal"));
        tracker.ready(s("mongodb"));
        assertThat(events).containsSubsequence("complete 1", "complete 2", "complete 3", "lowest 4 [kas]");
        assertThat(events.stream().filter(e -> e.startsWith("start")).toList()).containsExactly("start 1", "start 3", "start 2");
        assertThat(tracker.lowestIncomplete()).isEqualTo(4);
    }

    @Test
    void aServiceWithoutDependsOnWaitsForEveryEarlierStage() {
        var kasMayStart = tracker.earlierStagesDone(4);
        tracker.ready(s("postgres"));
        tracker.ready(s("mongodb"));
        tracker.ready(s("opal"));
        assertThat(kasMayStart).isNotDone();
        tracker.ready(s("keycloak"));
        assertThat(kasMayStart).isCompletedWithValue(true);
        assertThat(tracker.earlierStagesDone(1)).isCompletedWithValue(true);
    }

    @Test
    void aFailedStageHoldsBackTheLaterOnesAndIsNeverCompleted() {
        var kasMayStart = tracker.earlierStagesDone(4);
        tracker.ready(s("postgres"));
        tracker.ready(s("mongodb"));
        tracker.ready(s("opal"));
        tracker.failed(s("keycloak"));
        assertThat(kasMayStart).isCompletedWithValue(false);
        tracker.blocked(s("kas"));
        assertThat(tracker.wasBlocked("kas")).isTrue();
        assertThat(tracker.wasBlocked("keycloak")).isFalse();
        assertThat(events).contains("complete 1", "complete 2").doesNotContain("complete 3", "complete 4");
        assertThat(tracker.lowestIncomplete()).isEqualTo(3);
    }

    @Test
    void theLowestIncompleteStageIsToldWithWhatIsNotReadyThereAndZeroAtTheEnd() {
        assertThat(events).containsExactly("lowest 1 [postgres, mongodb]");
        tracker.ready(s("mongodb"));
        assertThat(tracker.notReady(1)).containsExactly("postgres");
        for (String k : List.of("postgres", "opal", "keycloak", "kas")) tracker.ready(s(k));
        assertThat(events.get(events.size() - 1)).isEqualTo("lowest 0 []");
    }
}
