package dive.verify.instance;

import java.util.regex.Pattern;

/**
 * An instance code: three upper-case letters (ISO 3166 alpha-3), e.g. FRA.
 * Validated before anything is created, since the code ends up in file
 * paths, container names and secret names.
 */
public record InstanceCode(String upper) {
    private static final Pattern VALID = Pattern.compile("[A-Z]{3}");

    public InstanceCode {
        if (upper == null || !VALID.matcher(upper).matches()) {
            throw new IllegalArgumentException("instance code " + describe(upper)
                    + " is invalid: expected three upper-case letters (ISO 3166 alpha-3), e.g. FRA, GBR, USA"
                    + (upper != null && upper.matches("[A-Za-z]{3}") ? "; did you mean " + upper.toUpperCase(java.util.Locale.ROOT) + "?" : ""));
        }
    }

    public static InstanceCode of(String code) { return new InstanceCode(code); }

    public String lower() { return upper.toLowerCase(java.util.Locale.ROOT); }

    /**
     * The code {@link SecretsSync} gives the hub's secrets to. Whether an instance is the hub is
     * decided by the kind recorded at its creation, not by its code: {@link InstanceInit} gives a
     * hub of any code its secrets, and finds the hub by kind ({@link InstanceInit#instancesOfKind}).
     */
    public boolean isHub() { return upper.equals("USA"); }

    @Override public String toString() { return upper; }

    private static String describe(String s) {
        if (s == null) return "(none)";
        if (s.isEmpty()) return "\"\" (empty)";
        // never echo control characters back
        return "\"" + s.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
