package dive.verify.deploy;

import dive.verify.report.Secrets;

import java.util.ArrayList;
import java.util.List;

/** Every failure of a stage in one table: read at a glance which services failed and why. */
final class FailureTable {
    private static final int REASON_WIDTH = 70, LOG_WIDTH = 60;

    private FailureTable() {}

    static String text(List<ServiceFailure> failures) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"STAGE", "SERVICE", "REASON", "LAST LOG LINE"});
        for (ServiceFailure f : failures) {
            rows.add(new String[] {String.valueOf(f.stage()), f.service(), cut(f.reason(), REASON_WIDTH), cut(lastLine(f), LOG_WIDTH)});
        }
        int[] width = new int[4];
        for (String[] r : rows) for (int i = 0; i < 4; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            String[] r = rows.get(n);
            sb.append(String.format("  %-" + width[0] + "s | %-" + width[1] + "s | %-" + width[2] + "s | %s", (Object[]) r).stripTrailing()).append('\n');
            if (n == 0) sb.append("  ").append("-".repeat(width[0] + width[1] + width[2] + width[3] + 9)).append('\n');
        }
        return Secrets.redact(sb.toString());
    }

    static String csv(List<ServiceFailure> failures) {
        StringBuilder sb = new StringBuilder("stage,service,reason,last log line\n");
        for (ServiceFailure f : failures) {
            sb.append(f.stage()).append(',').append(quote(f.service())).append(',').append(quote(f.reason()))
                    .append(',').append(quote(lastLine(f))).append('\n');
        }
        return Secrets.redact(sb.toString());
    }

    private static String lastLine(ServiceFailure f) {
        return f.lastLogLines().isEmpty() ? "" : f.lastLogLines().get(f.lastLogLines().size() - 1).strip();
    }

    private static String cut(String s, int max) {
        String one = s.replace('\n', ' ');
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }
}
