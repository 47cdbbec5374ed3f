package dive.reference.backend;

import java.util.ArrayList;
import java.util.List;

final class CapturingEvents implements Events {
    final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override public void info(String m) { lines.add("INFO " + m); }
    @Override public void warn(String m) { lines.add("WARN " + m); }
    @Override public void error(String m) { lines.add("ERROR " + m); }

    List<String> level(String level) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith(level + " ")).map(l -> l.substring(level.length() + 1)).toList();
        }
    }
}
