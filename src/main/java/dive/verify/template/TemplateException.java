package dive.verify.template;

/**
 * A template or its inputs are wrong. The message always names the file, the
 * line where known, and what was expected, so a user can fix it without a
 * stack trace.
 */
public class TemplateException extends RuntimeException {
    private final String file;
    private final int line;

    public TemplateException(String file, int line, String message) {
        super(location(file, line) + message);
        this.file = file;
        this.line = line;
    }

    public String file() { return file; }

    /** 1-based line, or 0 when unknown. */
    public int line() { return line; }

    private static String location(String file, int line) {
        if (file == null) return "";
        return line > 0 ? file + ":" + line + ": " : file + ": ";
    }
}
