package dive.verify.probe;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Runs SQL against a Postgres over TCP with a user and password, as a client would. */
public final class SqlProbe {
    private SqlProbe() {}

    public static Evidence query(String host, int port, String database, String user, String password, String sql) {
        String what = "SQL \"" + sql + "\" on " + user + "@" + host + ":" + port + "/" + database;
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next() && rows.size() < 20) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= cols; i++) row.add(String.valueOf(rs.getObject(i)));
                rows.add(String.join("|", row));
            }
            return Evidence.ok(what, rows.size() + " row(s): " + rows);
        } catch (Exception e) {
            return Evidence.failed(what, Evidence.message(e));
        }
    }

    /** The first column of the first row, or the failure. */
    public static String scalar(Evidence e) {
        String o = e.observed();
        int open = o.indexOf('['), close = o.lastIndexOf(']');
        if (!e.ok() || open < 0 || close <= open + 1) return null;
        String first = o.substring(open + 1, close).split(", ")[0];
        return first.split("\\|")[0];
    }
}
