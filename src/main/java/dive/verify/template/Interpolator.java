package dive.verify.template;

import java.util.function.Function;

/**
 * Compose-style variable interpolation of one scalar value:
 * {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}},
 * {@code ${VAR:?message}}, {@code ${VAR?message}} and {@code $$} for a literal dollar.
 * As in compose, an unset variable without default becomes the empty string;
 * the loader reports which ones so nothing is silently empty.
 */
public final class Interpolator {

    /** Where a value came from, for error messages. */
    public record Location(String file, int line) {}

    private final Function<String, String> lookup;
    private final java.util.Set<String> unset = new java.util.TreeSet<>();

    public Interpolator(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** Variables that were referenced without a default and were not set. */
    public java.util.Set<String> unsetVariables() { return unset; }

    public String interpolate(String value, Location where) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '$') { out.append(c); i++; continue; }
            if (i + 1 >= value.length()) { out.append('$'); i++; continue; }
            char next = value.charAt(i + 1);
            if (next == '$') { out.append('$'); i += 2; continue; }
            if (next == '{') {
                int close = value.indexOf('}', i + 2);
                if (close < 0) {
                    throw new TemplateException(where.file(), where.line(),
                            "unterminated ${ in \"" + value + "\"; expected ${NAME} or ${NAME:-default}");
                }
                out.append(expand(value.substring(i + 2, close), where));
                i = close + 1;
                continue;
            }
            if (Character.isLetter(next) || next == '_') {
                int j = i + 1;
                while (j < value.length() && (Character.isLetterOrDigit(value.charAt(j)) || value.charAt(j) == '_')) j++;
                out.append(resolve(value.substring(i + 1, j), null, false, null, where));
                i = j;
                continue;
            }
            out.append('$');
            i++;
        }
        return out.toString();
    }

    private String expand(String expr, Location where) {
        int op = indexOfOperator(expr);
        if (op < 0) return resolve(checkName(expr, where), null, false, null, where);
        String name = checkName(expr.substring(0, op), where);
        boolean colon = expr.charAt(op) == ':';
        char kind = expr.charAt(colon ? op + 1 : op);
        String arg = expr.substring(colon ? op + 2 : op + 1);
        if (kind == '-') return resolve(name, arg, colon, null, where);
        if (kind == '?') return resolve(name, null, colon, arg.isEmpty() ? "required variable " + name + " is not set" : arg, where);
        throw new TemplateException(where.file(), where.line(),
                "unsupported interpolation ${" + expr + "}; expected ${NAME}, ${NAME:-default} or ${NAME:?message}");
    }

    private static int indexOfOperator(String expr) {
        for (int k = 0; k < expr.length(); k++) {
            char ch = expr.charAt(k);
            if (ch == ':' || ch == '-' || ch == '?' || ch == '+') return k;
        }
        return -1;
    }

    private static String checkName(String name, Location where) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new TemplateException(where.file(), where.line(), "invalid variable name \"" + name + "\" in ${...}");
        }
        return name;
    }

    private String resolve(String name, String fallback, boolean emptyIsUnset, String requiredMessage, Location where) {
        String v = lookup.apply(name);
        boolean missing = v == null || (emptyIsUnset && v.isEmpty());
        if (!missing) return v;
        if (requiredMessage != null) {
            throw new TemplateException(where.file(), where.line(), "variable " + name + ": " + requiredMessage);
        }
        if (fallback != null) return fallback;
        unset.add(name);
        return "";
    }
}
