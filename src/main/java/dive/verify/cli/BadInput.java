package dive.verify.cli;

import java.util.List;

/**
 * Input a command refuses before it creates anything: exit code 2. Each line
 * names the input and what was expected (a broken template has one line per
 * problem).
 */
public final class BadInput extends RuntimeException {
    private final List<String> lines;

    public BadInput(String line) {
        this(List.of(line));
    }

    public BadInput(List<String> lines) {
        super(String.join("\n", lines));
        this.lines = List.copyOf(lines);
    }

    public List<String> lines() { return lines; }
}
