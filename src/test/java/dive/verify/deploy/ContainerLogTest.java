package dive.verify.deploy;

import dive.verify.report.Secrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.output.OutputFrame;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

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

    private static OutputFrame out(String text) { return new OutputFrame(OutputFrame.OutputType.STDOUT, text.getBytes(StandardCharsets.UTF_8)); }

    /** A clock that reads 10:00:00, 10:00:01, … one second later at each reading. */
    private static Clock ticking() {
        return new Clock() {
            private Instant next = Instant.parse("2026-01-27T10:00:00Z");
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public synchronized Instant instant() { Instant now = next; next = next.plusSeconds(1); return now; }
        };
    }

    @Test
    void eachLineKeepsTheTimeItArrived() {
        ContainerLog log = new ContainerLog("x", dir.resolve("x.log"), ticking());
        log.accept(out("one\ntw"));
        log.accept(out("o\n"));
        log.accept(out("three"));
        log.flush();
        assertThat(log.entries()).containsExactly(
                new ContainerLog.Line(Instant.parse("2026-01-27T10:00:00Z"), "one"),
                new ContainerLog.Line(Instant.parse("2026-01-27T10:00:01Z"), "two"),
                new ContainerLog.Line(Instant.parse("2026-01-27T10:00:02Z"), "three"));
        assertThat(log.lines()).containsExactly("one", "two", "three");
    }

    @Test
    void aStampedLogTakesEachLinesTimeFromTheEnginesStamp() throws Exception {
        ContainerLog log = new ContainerLog("x", dir.resolve("x.log"), ticking()).stamped();
        log.accept(out("2026-01-27T08:15:30.123456789Z warn: SPOKE_TOKEN environment variable is required\n"));
        log.accept(out("2026-01-27T09:00:00+01:00 offset\nno stamp here\n2026-13-45T99:99:99Z not a date\n"));
        log.close();
        List<ContainerLog.Line> lines = log.entries();
        assertThat(lines.get(0)).isEqualTo(new ContainerLog.Line(Instant.parse("2026-01-27T08:15:30.123456789Z"),
                "warn: SPOKE_TOKEN environment variable is required"));
        assertThat(lines.get(1)).isEqualTo(new ContainerLog.Line(Instant.parse("2026-01-27T08:00:00Z"), "offset"));
        assertThat(lines.get(2)).as("a line without a stamp keeps its time of arrival")
                .isEqualTo(new ContainerLog.Line(Instant.parse("2026-01-27T10:00:00Z"), "no stamp here"));
        assertThat(lines.get(3).text()).as("what only looks like a stamp stays in the text").isEqualTo("2026-13-45T99:99:99Z not a date");
        assertThat(Files.readString(dir.resolve("x.log"))).as("the file holds the text, without the stamps")
                .startsWith("warn: SPOKE_TOKEN environment variable is required\noffset\n");
    }

    @Test
    void anUnstampedLogKeepsALeadingDateAsText() {
        ContainerLog log = new ContainerLog("x", dir.resolve("x.log"), ticking());
        log.accept(out("2026-01-27T08:15:30Z hello\n"));
        assertThat(log.entries()).containsExactly(new ContainerLog.Line(Instant.parse("2026-01-27T10:00:00Z"), "2026-01-27T08:15:30Z hello"));
    }
}
