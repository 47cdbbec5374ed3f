package dive.verify.probe;

import dive.verify.report.Secrets;

/**
 * What a probe saw. A check passes or fails on this, and its failure message
 * quotes it, so a red report says what was observed, not just "false".
 */
public record Evidence(boolean ok, String what, String observed) {
    public Evidence {
        what = Secrets.redact(what);
        observed = Secrets.redact(observed);
    }

    public static Evidence ok(String what, String observed) { return new Evidence(true, what, observed); }

    public static Evidence failed(String what, String observed) { return new Evidence(false, what, observed); }

    /**
     * Throws an AssertionError quoting the evidence unless ok. What was seen
     * comes first: a report shows a failure's first line as its summary, and
     * the step that failed already says which check it was.
     */
    public Evidence orFail() {
        if (!ok) throw new AssertionError(failureMessage(what, observed));
        return this;
    }

    /** The message of a failed check: what was seen, then (on its own line) the check that saw it. */
    public static String failureMessage(String what, String observed) {
        return observed + "\n(the check: " + what + ")";
    }

    @Override
    public String toString() { return (ok ? "OK   " : "FAIL ") + what + ": " + observed; }

    /** An exception's message with the messages of its causes, for an observation. */
    public static String message(Throwable e) {
        Throwable t = e;
        StringBuilder sb = new StringBuilder(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) sb.append(" ← ").append(t.getMessage());
        }
        return sb.toString();
    }
}
