package dive.verify.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Variable interpolation of one scalar value, as the Compose Specification defines it
 * (and as its reference implementation, compose-go, behaves):
 * <ul>
 *   <li>{@code $NAME} and {@code ${NAME}}, a name being {@code [_a-zA-Z][_a-zA-Z0-9]*};</li>
 *   <li>{@code ${NAME:-default}} (unset or empty) and {@code ${NAME-default}} (unset);</li>
 *   <li>{@code ${NAME:+replacement}} (set and non-empty) and {@code ${NAME+replacement}} (set),
 *       otherwise the empty string;</li>
 *   <li>{@code ${NAME:?message}} (unset or empty) and {@code ${NAME?message}} (unset) fail;</li>
 *   <li>{@code $$} is a literal dollar; a {@code $} that starts nothing above stays as it is.</li>
 * </ul>
 * Defaults, replacements and messages are templates themselves, nested to any depth, and are
 * interpolated only when their branch is taken. Inside them, a {@code {}...{@code }} pair is
 * literal text, so {@code ${X:-{"a":1}}} defaults to {@code {"a":1}}. The operator is the first
 * one after the name; whatever follows, operators included, is its argument.
 * <p>
 * The whole value is parsed before anything is looked up, so a malformed expression is reported
 * whatever the environment, even in a branch that is not taken. As in compose, an unset variable
 * without default becomes the empty string; the loader reports which ones so nothing is
 * silently empty.
 */
public final class Interpolator {

    /** Where a value came from, for error messages. */
    public record Location(String file, int line) {}

    private final Function<String, String> lookup;
    private final Set<String> unset = new TreeSet<>();

    /** {@code lookup} returns null for an unset variable, "" for a set but empty one. */
    public Interpolator(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** Variables that were referenced without a default and were not set. */
    public Set<String> unsetVariables() { return unset; }

    public String interpolate(String value, Location where) {
        if (value.indexOf('$') < 0) return value;
        List<Part> parts = new Parser(value, where).parseAll();
        StringBuilder out = new StringBuilder(value.length());
        evaluate(parts, out, where);
        return out.toString();
    }

    // ---- syntax tree -------------------------------------------------------------------------

    private sealed interface Part permits Text, Ref {}

    private record Text(String text) implements Part {}

    /** {@code $NAME}, {@code ${NAME}} (op NONE) or {@code ${NAME<op>argument}}. */
    private record Ref(String name, Op op, List<Part> argument) implements Part {}

    private enum Op {
        NONE(""), DEFAULT_IF_UNSET_OR_EMPTY(":-"), DEFAULT_IF_UNSET("-"),
        REPLACE_IF_NON_EMPTY(":+"), REPLACE_IF_SET("+"),
        REQUIRE_NON_EMPTY(":?"), REQUIRE_SET("?");

        final String symbol;

        Op(String symbol) { this.symbol = symbol; }

        /** The operator starting at {@code i}, or null. */
        static Op at(String s, int i) {
            if (i >= s.length()) return null;
            boolean colon = s.charAt(i) == ':';
            int k = colon ? i + 1 : i;
            if (k >= s.length()) return null;
            return switch (s.charAt(k)) {
                case '-' -> colon ? DEFAULT_IF_UNSET_OR_EMPTY : DEFAULT_IF_UNSET;
                case '+' -> colon ? REPLACE_IF_NON_EMPTY : REPLACE_IF_SET;
                case '?' -> colon ? REQUIRE_NON_EMPTY : REQUIRE_SET;
                default -> null;
            };
        }
    }

    // ---- evaluation --------------------------------------------------------------------------

    private void evaluate(List<Part> parts, StringBuilder out, Location where) {
        for (Part part : parts) {
            if (part instanceof Text text) {
                out.append(text.text());
            } else if (part instanceof Ref ref) {
                out.append(resolve(ref, where));
            }
        }
    }

    private String argument(Ref ref, Location where) {
        StringBuilder out = new StringBuilder();
        evaluate(ref.argument(), out, where);
        return out.toString();
    }

    private String resolve(Ref ref, Location where) {
        String value = lookup.apply(ref.name());
        boolean set = value != null;
        boolean nonEmpty = set && !value.isEmpty();
        switch (ref.op()) {
            case NONE:
                if (!set) unset.add(ref.name());
                return set ? value : "";
            case DEFAULT_IF_UNSET_OR_EMPTY:
                return nonEmpty ? value : argument(ref, where);
            case DEFAULT_IF_UNSET:
                return set ? value : argument(ref, where);
            case REPLACE_IF_NON_EMPTY:
                return nonEmpty ? argument(ref, where) : "";
            case REPLACE_IF_SET:
                return set ? argument(ref, where) : "";
            case REQUIRE_NON_EMPTY:
                if (nonEmpty) return value;
                throw missing(ref, where);
            case REQUIRE_SET:
                if (set) return value;
                throw missing(ref, where);
            default:
                throw new IllegalStateException(ref.op().name());
        }
    }

    private TemplateException missing(Ref ref, Location where) {
        String message = argument(ref, where);
        return new TemplateException(where.file(), where.line(), message.isEmpty()
                ? "required variable " + ref.name() + " is missing a value"
                : "variable " + ref.name() + ": " + message);
    }

    // ---- parsing -----------------------------------------------------------------------------

    private static boolean nameStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean namePart(char c) {
        return nameStart(c) || (c >= '0' && c <= '9');
    }

    /** Recursive descent over one value; {@code pos} is the next character to read. */
    private static final class Parser {
        private final String s;
        private final Location where;
        private int pos;

        Parser(String s, Location where) {
            this.s = s;
            this.where = where;
        }

        List<Part> parseAll() {
            return parseTemplate(false);
        }

        /**
         * Text and references up to the end of the value or, when {@code nested} (the argument
         * of a braced expression), up to the {@code }} that closes it, left unread. Braces that
         * pair up inside an argument are literal text.
         */
        private List<Part> parseTemplate(boolean nested) {
            List<Part> parts = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int openBraces = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '$') {
                    char next = pos + 1 < s.length() ? s.charAt(pos + 1) : 0;
                    if (next == '$') {
                        text.append('$');
                        pos += 2;
                    } else if (next == '{' || nameStart(next)) {
                        if (text.length() > 0) {
                            parts.add(new Text(text.toString()));
                            text.setLength(0);
                        }
                        parts.add(next == '{' ? parseBraced() : parseUnbraced());
                    } else {
                        text.append('$');
                        pos++;
                    }
                    continue;
                }
                if (nested && c == '{') {
                    openBraces++;
                } else if (nested && c == '}') {
                    if (openBraces == 0) break;
                    openBraces--;
                }
                text.append(c);
                pos++;
            }
            if (text.length() > 0) parts.add(new Text(text.toString()));
            return parts;
        }

        private Ref parseUnbraced() {
            int start = ++pos;
            while (pos < s.length() && namePart(s.charAt(pos))) pos++;
            return new Ref(s.substring(start, pos), Op.NONE, List.of());
        }

        private Ref parseBraced() {
            int start = pos;
            pos += 2;
            if (pos >= s.length()) throw unterminated(start, "a variable name and a closing \"}\"");
            if (!nameStart(s.charAt(pos))) {
                throw invalid(start, "a variable name ([_a-zA-Z][_a-zA-Z0-9]*) after \"${\"");
            }
            int nameStart = pos;
            while (pos < s.length() && namePart(s.charAt(pos))) pos++;
            String name = s.substring(nameStart, pos);
            if (pos >= s.length()) throw unterminated(start, "a closing \"}\"");
            if (s.charAt(pos) == '}') {
                pos++;
                return new Ref(name, Op.NONE, List.of());
            }
            Op op = Op.at(s, pos);
            if (op == null) {
                throw invalid(start, "\"}\" or one of :- - :+ + :? ? after the variable name " + name);
            }
            pos += op.symbol.length();
            List<Part> argument = parseTemplate(true);
            if (pos >= s.length()) throw unterminated(start, "a closing \"}\"");
            pos++; // the closing brace
            return new Ref(name, op, List.copyOf(argument));
        }

        private TemplateException unterminated(int start, String expected) {
            return new TemplateException(where.file(), where.line(),
                    "unterminated ${ in \"" + s.substring(start) + "\": expected " + expected);
        }

        private TemplateException invalid(int start, String expected) {
            return new TemplateException(where.file(), where.line(),
                    "invalid interpolation \"" + expression(start) + "\": expected " + expected);
        }

        /** The malformed expression starting at {@code start}, up to its closing brace if any. */
        private String expression(int start) {
            int depth = 0;
            for (int i = start + 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '{') depth++;
                else if (c == '}' && --depth == 0) return s.substring(start, i + 1);
            }
            return s.substring(start);
        }
    }
}
