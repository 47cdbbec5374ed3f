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
    private final String name;
    private final Path file;
    private final List<String> lines = new ArrayList<>();
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

    private void add(String line) {
        if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
        lines.add(line);
        if (closed) return; // late lines after teardown stay in memory only
        try {
            if (writer == null) {
                Files.createDirectories(file.getParent());
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
            writer.write(Secrets.redact(line));
            writer.write('\n');
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
