package dive.verify.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The wrapper's preparation, run by the deploy command once its input is valid. */
class PreparationTest {
    @AfterEach
    void clear() {
        System.clearProperty(Preparation.PROPERTY);
    }

    @Test
    void nothingToPrepareWithoutTheProperty() {
        assertThat(Preparation.run()).isEqualTo(Cli.OK);
    }

    @Test
    void runsTheCommandOnceAndPassesWhenItDoes() throws Exception {
        Path marker = Files.createTempFile("dive-prepare", ".txt");
        try {
            System.setProperty(Preparation.PROPERTY, "echo prepared >> '" + marker + "'");
            assertThat(Preparation.run()).isEqualTo(Cli.OK);
            assertThat(Files.readAllLines(marker)).containsExactly("prepared");
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    @Test
    void aFailingPreparationFailsTheCommand() {
        // e.g. the engine cannot be started, or the kit does not build: exit 1, as the wrapper's own die
        System.setProperty(Preparation.PROPERTY, "exit 3");
        assertThat(Preparation.run()).isEqualTo(Cli.FAILED);
    }
}
