package dive.verify.deploy;

import dive.verify.report.Secrets;
import org.testcontainers.containers.output.OutputFrame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * Every line a container writes, from its first, kept in memory for log checks
 * (each with the time it was written) and written (redacted) to a file that
 * outlives the container for the report.
 *
 * <p>The time of a line is when it arrived here, for a log followed from the
 * container's start; for a log read back from the engine (a container adopted
 * or attached to, whose earlier lines arrive all at once) it is the engine's
 * own timestamp of the line ({@link #stamped()}).
 */
public final class ContainerLog implements Consumer<OutputFrame> {
    /** A container that floods its log (a client retrying with no pause) must not exhaust the harness. */
    static final int MAX_LINES_IN_MEMORY = 20_000;
    static final int HEAD_LINES = 2_000;
    static final long MAX_FILE_BYTES = 20L * 1024 * 1024;

    private final String name;
    private final Path file;
    /** One line of the log and when the container wrote it. */
    public record Line(Instant at, String text) {}

    /** The engine's timestamp in front of each line of {@code docker logs --timestamps} (RFC 3339, nanoseconds). */
    static final java.util.regex.Pattern STAMP = java.util.regex.Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:\\d{2})) ?");

    private final Clock clock;
    private final List<Line> lines = new ArrayList<>();
    private boolean stamped;
    private long total;
    private long written;
    private java.util.regex.Pattern fatal;
    private String fatalLine;
    private final StringBuilder partial = new StringBuilder();
    private Writer writer;
    private boolean closed;

    public ContainerLog(String name, Path file) {
        this(name, file, Clock.systemUTC());
    }

    ContainerLog(String name, Path file, Clock clock) {
        this.name = name;
        this.file = file;
        this.clock = clock;
    }

    /**
     * Lines will arrive with the engine's timestamp in front (a log read with
     * {@code --timestamps}): the time of each line is read from it, and the
     * stamp is removed from the text.
     */
    public synchronized ContainerLog stamped() {
        this.stamped = true;
        return this;
    }

    public String name() { return name; }

    public Path file() { return file; }

    @Override
    public synchronized void accept(OutputFrame frame) {
        if (frame.getType() == OutputFrame.OutputType.END) { flush(); return; }
        String text = frame.getUtf8String();
        if (text == null) return;
        partial.append(text);
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            add(partial.substring(0, nl));
            partial.delete(0, nl + 1);
        }
    }

    /** Lines matching {@code pattern} make the service fail at once (see {@link #fatalLine()}). */
    public synchronized void failOn(java.util.regex.Pattern pattern) { this.fatal = pattern; }

    /** The first line that matched the fatal pattern, or null. */
    public synchronized String fatalLine() { return fatalLine; }

    /** Lines seen in all, including those dropped from memory. */
    public synchronized long totalLines() { return total; }

    private void add(String line) {
        if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
        Instant at = null;
        if (stamped) {
            Matcher m = STAMP.matcher(line);
            if (m.find()) {
                try {
                    at = OffsetDateTime.parse(m.group(1)).toInstant();
                    line = line.substring(m.end());
                } catch (DateTimeParseException notAStamp) {
                    // keep the line whole, with its time of arrival
                }
            }
        }
        if (at == null) at = clock.instant();
        total++;
        if (fatal != null && fatalLine == null && fatal.matcher(line).find()) fatalLine = Secrets.redact(line);
        lines.add(new Line(at, line));
        if (lines.size() > MAX_LINES_IN_MEMORY) {
            // keep the first lines (startup) and the most recent ones
            lines.subList(HEAD_LINES, HEAD_LINES + (lines.size() - MAX_LINES_IN_MEMORY)).clear();
            if (!lines.get(HEAD_LINES).text().startsWith("[dive-verify]")) {
                lines.add(HEAD_LINES, new Line(lines.get(HEAD_LINES).at(), "[dive-verify] … lines dropped from memory (log flood) …"));
            }
        }
        if (closed || written > MAX_FILE_BYTES) return; // late lines after teardown stay in memory only
        try {
            if (writer == null) {
                Files.createDirectories(file.getParent());
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
            String out = Secrets.redact(line) + "\n";
            written += out.length();
            writer.write(out);
            if (written > MAX_FILE_BYTES) writer.write("[dive-verify] log file capped at " + MAX_FILE_BYTES + " bytes\n");
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void flush() {
        if (partial.length() > 0) { add(partial.toString()); partial.setLength(0); }
    }

    /** All lines so far (raw; redact before showing). */
    public synchronized List<String> lines() { return lines.stream().map(Line::text).toList(); }

    /** All lines so far with the time each was written (raw; redact before showing). */
    public synchronized List<Line> entries() { return List.copyOf(lines); }

    /** The last {@code n} lines, redacted, for failure messages. */
    public synchronized List<String> tail(int n) {
        List<Line> all = lines;
        return all.subList(Math.max(0, all.size() - n), all.size()).stream().map(l -> Secrets.redact(l.text())).toList();
    }

    public synchronized void close() {
        flush();
        closed = true;
        try {
            if (writer != null) writer.close();
        } catch (IOException ignored) {
            // best effort: the lines are still in memory
        }
    }
}
