package dive.verify.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateFileTest {
    @TempDir Path dir;

    private static DeploymentState deploying() {
        return new DeploymentState("dive-spoke-fra", "docker-compose.yml", "ab".repeat(32), "run-1",
                DeploymentState.DEPLOYING, "t0", false, 0, List.of(), null, null);
    }

    private static DeploymentState.StageRecord stage(int n) {
        return new DeploymentState.StageRecord(n, "t" + n, Map.of("postgres-fra",
                new DeploymentState.ServiceRecord("dive-spoke-fra-postgres", "c1", "dive-kit/postgres:1", "sha256:1", "h1")));
    }

    @Test
    void recordsStagesAndAnInterruptionAndReadsThemBack() {
        StateFile f = new StateFile(dir);
        assertThat(f.read()).isEmpty();
        DeploymentState s = deploying().withStage(stage(1), "t1").withStage(stage(2), "t2")
                .withInterruption(new DeploymentState.Interruption("SIGTERM", 3, List.of("keycloak-fra"), "t3", "kept"), true, "t3");
        f.write(s);
        DeploymentState back = f.read().orElseThrow();
        assertThat(back).isEqualTo(s);
        assertThat(back.status()).isEqualTo(DeploymentState.INTERRUPTED);
        assertThat(back.stage(2)).isPresent();
        assertThat(back.stage(3)).isEmpty();
    }

    @Test
    void removalClearsTheStagesButKeepsHowTheAttemptEnded() {
        DeploymentState interrupted = deploying().withStage(stage(1), "t1")
                .withInterruption(new DeploymentState.Interruption("SIGINT", 2, List.of(), "t2", "removed"), false, "t2");
        DeploymentState removed = interrupted.removed("t3");
        assertThat(removed.stages()).isEmpty();
        assertThat(removed.status()).isEqualTo(DeploymentState.INTERRUPTED);
        assertThat(removed.interruption().stage()).isEqualTo(2);
        assertThat(deploying().withStatus(DeploymentState.COMPLETE, "t").removed("t4").status()).isEqualTo(DeploymentState.REMOVED);
    }

    @Test
    void anUnreadableStateFileIsNamedWithWhatToDo() throws Exception {
        Files.writeString(dir.resolve(StateFile.NAME), "{\"project\": \"dive-spoke-fra\", \"stages\": [");
        assertThatThrownBy(() -> new StateFile(dir).read())
                .hasMessageContaining(dir.resolve(StateFile.NAME).toString())
                .hasMessageContaining("delete it to deploy from scratch");
    }
}
