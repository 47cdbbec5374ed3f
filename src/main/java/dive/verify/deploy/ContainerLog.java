package dive.verify.deploy;

import dive.verify.report.Secrets;
import org.testcontainers.containers.output.OutputFrame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every line a container writes, from its first, kept in memory for log checks
 * and written (redacted) to a file that outlives the container for the report.
 */
public final class ContainerLog implements Consumer<OutputFrame> {
    /** A container that floods its log (a client retrying with no pause) must not exhaust the harness. */
    static final int MAX_LINES_IN_MEMORY = 20_000;
    static final int HEAD_LINES = 2_000;
    static final long MAX_FILE_BYTES = 20L * 1024 * 1024;

    private final String name;
    private final Path file;
    private final List<String> lines = new ArrayList<>();
    private long total;
    private long written;
    private java.util.regex.Pattern fatal;
    private String fatalLine;
    private final StringBuilder partial = new StringBuilder();
    private Writer writer;
    private boolean closed;

    public ContainerLog(String name, Path file) {
        this.name = name;
        this.file = file;
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
        total++;
        if (fatal != null && fatalLine == null && fatal.matcher(line).find()) fatalLine = Secrets.redact(line);
        lines.add(line);
        if (lines.size() > MAX_LINES_IN_MEMORY) {
            // keep the first lines (startup) and the most recent ones
            lines.subList(HEAD_LINES, HEAD_LINES + (lines.size() - MAX_LINES_IN_MEMORY)).clear();
            if (!lines.get(HEAD_LINES).startsWith("[dive-verify]")) lines.add(HEAD_LINES, "[dive-verify] … lines dropped from memory (log flood) …");
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
    public synchronized List<String> lines() { return List.copyOf(lines); }

    /** The last {@code n} lines, redacted, for failure messages. */
    public synchronized List<String> tail(int n) {
        List<String> all = lines;
        return all.subList(Math.max(0, all.size() - n), all.size()).stream().map(Secrets::redact).toList();
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
