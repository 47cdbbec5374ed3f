package dive.verify.deploy;

import dive.verify.template.DeploymentPlan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which services a deployment creates, decided from the plan alone: no engine. */
class SelectionTest {
    @TempDir static Path dir;
    static DeploymentPlan plan;

    @BeforeAll
    static void plan() {
        // web → api → db and api → cache: web needs all three; tools needs nothing
        plan = Plans.load(dir, "compose.yml", """
                name: fra
                services:
                  tools:
                    image: t
                    labels: {dive.deploy.stage: "1"}
                  db:
                    image: d
                    labels: {dive.deploy.stage: "1"}
                  cache:
                    image: c
                    labels: {dive.deploy.stage: "1"}
                  api:
                    image: a
                    depends_on: [db, cache]
                    labels: {dive.deploy.stage: "2"}
                  web:
                    image: w
                    depends_on: [api]
                    labels: {dive.deploy.stage: "3"}
                """, Map.of());
    }

    @Test
    void withoutAChoiceEveryServiceIsSelectedInFileOrder() {
        assertThat(Selection.of(plan, null)).containsExactly("tools", "db", "cache", "api", "web");
    }

    @Test
    void aSelectedServiceBringsItsDependenciesAlongTransitively() {
        assertThat(Selection.of(plan, Set.of("web"))).containsExactly("db", "cache", "api", "web");
        assertThat(Selection.of(plan, Set.of("api"))).containsExactly("db", "cache", "api");
        assertThat(Selection.of(plan, Set.of("tools"))).as("nothing to bring along").containsExactly("tools");
    }

    @Test
    void theOrderIsTheFilesWhateverOrderTheServicesWereAskedIn() {
        assertThat(Selection.of(plan, List.of("web", "tools"))).containsExactly("tools", "db", "cache", "api", "web");
        assertThat(Selection.of(plan, List.of("tools", "web"))).containsExactly("tools", "db", "cache", "api", "web");
        assertThat(Selection.of(plan, List.of("cache", "db"))).containsExactly("db", "cache");
    }

    @Test
    void anUnknownServiceIsRefusedByItsName() {
        assertThatThrownBy(() -> Selection.of(plan, List.of("tools", "kas")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no service \"kas\" in ")
                .hasMessageEndingWith("services are [tools, db, cache, api, web]");
    }

    @Test
    void nothingAskedForSelectsNothing() {
        assertThat(Selection.of(plan, List.of())).isEmpty();
    }
}
