package dive.verify.template;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compose/Go durations: {@code 500ms}, {@code 5s}, {@code 1m30s}, {@code 2h}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|ns|h|m|s)");

    private Durations() {}

    public static Duration parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) throw new IllegalArgumentException(text);
        Matcher m = PART.matcher(s);
        long nanos = 0;
        int end = 0;
        while (m.lookingAt()) {
            double v = Double.parseDouble(m.group(1));
            nanos += (long) (v * switch (m.group(2)) {
                case "h" -> 3_600_000_000_000d;
                case "m" -> 60_000_000_000d;
                case "s" -> 1_000_000_000d;
                case "ms" -> 1_000_000d;
                case "us" -> 1_000d;
                default -> 1d;
            });
            end = m.end();
            m.region(end, s.length());
        }
        if (end != s.length()) throw new IllegalArgumentException(text);
        return Duration.ofNanos(nanos);
    }
}
