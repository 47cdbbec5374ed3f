package dive.verify.reference.mongodb;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Readable log lines on stdout. Never pass a secret value in here. */
final class Log {
    private Log() {
    }

    static void info(String message) {
        line("INFO ", message);
    }

    static void warn(String message) {
        line("WARN ", message);
    }

    static void error(String message) {
        line("ERROR", message);
    }

    private static void line(String level, String message) {
        String text = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + level + " [mongodb-standin] " + message;
        synchronized (System.out) {
            System.out.println(text);
            System.out.flush();
        }
    }
}
