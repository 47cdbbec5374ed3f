package dive.reference.backend;

import org.slf4j.Logger;

/** Where the backend's operational messages go; slf4j in production, a list in tests. */
public interface Events {
    void info(String message);

    void warn(String message);

    void error(String message);

    static Events of(Logger log) {
        return new Events() {
            @Override public void info(String m) { log.info(m); }
            @Override public void warn(String m) { log.warn(m); }
            @Override public void error(String m) { log.error(m); }
        };
    }
}
