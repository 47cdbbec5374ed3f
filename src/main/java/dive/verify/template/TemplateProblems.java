package dive.verify.template;

import java.util.List;

/**
 * Every problem of one compose file, found in one pass: each a
 * {@link TemplateException} naming file:line, service, key, why and what is
 * supported. With one problem the message is exactly that problem's; with more,
 * a count followed by one problem per line.
 */
public final class TemplateProblems extends TemplateException {
    private final List<TemplateException> problems;

    public TemplateProblems(String file, List<TemplateException> problems) {
        super(problems.size() == 1 ? problems.get(0).file() : file,
                problems.size() == 1 ? problems.get(0).line() : 0,
                problems.size() == 1 ? bare(problems.get(0)) : summary(problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("no problems");
        this.problems = List.copyOf(problems);
    }

    /** The problems, in file order (as found). */
    public List<TemplateException> problems() { return problems; }

    /** One line per problem, each starting with file:line. */
    public List<String> lines() {
        return problems.stream().map(Throwable::getMessage).toList();
    }

    private static String summary(List<TemplateException> problems) {
        StringBuilder sb = new StringBuilder(problems.size() + " problems:");
        for (TemplateException p : problems) sb.append("\n  ").append(p.getMessage());
        return sb.toString();
    }

    /** The message without the location prefix the constructor adds again. */
    private static String bare(TemplateException p) {
        String m = p.getMessage();
        if (p.file() == null) return m;
        String location = p.line() > 0 ? p.file() + ":" + p.line() + ": " : p.file() + ": ";
        return m.startsWith(location) ? m.substring(location.length()) : m;
    }
}
