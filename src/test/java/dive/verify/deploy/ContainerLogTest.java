package dive.verify.deploy;

import dive.verify.report.Secrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.output.OutputFrame;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerLogTest {
    @TempDir Path dir;

    @AfterEach
    void clear() { Secrets.clear(); }

    @Test
    void joinsFramesIntoLinesAndRedactsTheFileAndTail() throws Exception {
        Secrets.register("hunter2-secret");
        ContainerLog log = new ContainerLog("x", dir.resolve("x.log"));
        log.accept(new OutputFrame(OutputFrame.OutputType.STDOUT, "first li".getBytes(StandardCharsets.UTF_8)));
        log.accept(new OutputFrame(OutputFrame.OutputType.STDOUT, "ne\npassword=hunter2-secret\r\npart".getBytes(StandardCharsets.UTF_8)));
        log.close();
        assertThat(log.lines()).containsExactly("first line", "password=hunter2-secret", "part");
        assertThat(log.tail(2)).containsExactly("password=***", "part");
        assertThat(Files.readString(dir.resolve("x.log"))).doesNotContain("hunter2").contains("password=***");
    }
}
