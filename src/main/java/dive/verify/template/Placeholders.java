package dive.verify.template;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code {{NAME}}} placeholders, the init-time half of templating
 * (instance code, name, ports, image names). Runtime values such as secrets
 * are not placeholders: they stay {@code ${VAR}} and are interpolated at
 * deploy time from the instance's .env, so they never land in a rendered file.
 */
public final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]+)\\s*}}");

    private Placeholders() {}

    public static String render(String text, Map<String, String> values, String fileName) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = values.get(name);
            if (value == null) {
                throw new TemplateException(fileName, lineOf(text, m.start()),
                        "unknown placeholder {{" + name + "}}; known placeholders are "
                                + new TreeSet<>(values.keySet()));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }
}
