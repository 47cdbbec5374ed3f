package dive.verify.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvFilesTest {
    @Test
    void readsKeyValueLinesCommentsBlanksExportAndQuotes() {
        Map<String, String> env = EnvFiles.parse(List.of(
                "# a comment", "", "   ", "A=1", "  B = two words  ", "export C=3", "D=\"quoted value\"", "E='single'",
                "F=", "G=a=b", "H=\"", "I='x\"", "J=\"\"", "K=x\"", "L=\"x"), ".env");
        assertThat(env).containsExactly(
                Map.entry("A", "1"), Map.entry("B", "two words"), Map.entry("C", "3"), Map.entry("D", "quoted value"),
                Map.entry("E", "single"), Map.entry("F", ""), Map.entry("G", "a=b"), Map.entry("H", "\""),
                Map.entry("I", "'x\""), Map.entry("J", ""), Map.entry("K", "x\""), Map.entry("L", "\"x"));
    }

    @Test
    void aLineWithoutKeyIsAnErrorNamingFileAndLine() {
        assertThatThrownBy(() -> EnvFiles.parse(List.of("A=1", "=value"), "spoke.env"))
                .isInstanceOf(TemplateException.class).hasMessage("spoke.env:2: expected KEY=value");
        assertThatThrownBy(() -> EnvFiles.parse(List.of("# c", "", "JUSTAWORD"), "spoke.env"))
                .hasMessage("spoke.env:3: expected KEY=value");
    }

    @Test
    void aKeyOfOneCharacterIsAKey() {
        assertThat(EnvFiles.parse(List.of("X=1"), "f")).containsEntry("X", "1");
    }

    @Test
    void anInvalidNameIsAnError() {
        assertThatThrownBy(() -> EnvFiles.parse(List.of("1A=x"), "f"))
                .hasMessage("f:1: invalid variable name \"1A\"");
        assertThatThrownBy(() -> EnvFiles.parse(List.of("A-B=x"), "f"))
                .hasMessage("f:1: invalid variable name \"A-B\"");
    }

    @Test
    void readNamesTheReferencingFileWhenTheEnvFileIsMissing(@TempDir Path dir) throws IOException {
        Path ok = dir.resolve("ok.env");
        Files.writeString(ok, "A=1\n");
        assertThat(EnvFiles.read(ok, "compose.yml", 4)).containsExactly(Map.entry("A", "1"));
        assertThatThrownBy(() -> EnvFiles.read(dir.resolve("missing.env"), "compose.yml", 4))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("compose.yml:4: cannot read env file " + dir.resolve("missing.env"));
    }
}
