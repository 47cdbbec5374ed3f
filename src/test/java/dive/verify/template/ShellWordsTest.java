package dive.verify.template;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellWordsTest {
    @Test
    void splitsLikeAShell() {
        assertThat(ShellWords.split("mongod --replSet rs0  --bind_ip_all")).containsExactly("mongod", "--replSet", "rs0", "--bind_ip_all");
        assertThat(ShellWords.split("sh -c 'echo \"a b\"' \"x\\\"y\" c\\ d")).containsExactly("sh", "-c", "echo \"a b\"", "x\"y", "c d");
        assertThatThrownBy(() -> ShellWords.split("echo 'open")).hasMessageContaining("unterminated quote");
    }

    @Test
    void aTrailingBackslashIsKeptAsItIs() {
        assertThat(ShellWords.split("a\\")).containsExactly("a\\");
        assertThatThrownBy(() -> ShellWords.split("\"a\\")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated quote in: \"a\\");
    }

    @Test
    void insideDoubleQuotesOnlySomeCharactersAreEscaped() {
        assertThat(ShellWords.split("\"a\\b\\$\\\\\" ''")).containsExactly("a\\b$\\", "");
    }
}
