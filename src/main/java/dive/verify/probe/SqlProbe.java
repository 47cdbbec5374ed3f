package dive.verify.probe;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Runs SQL against a Postgres over TCP with a user and password, as a client
 * would. Values always travel as statement parameters ({@code ?}); the names
 * that cannot be parameters (database, table, column) must be plain lower-case
 * identifiers, and anything else is refused before a connection is made.
 */
public final class SqlProbe {
    /** A plain SQL identifier: nothing that needs quoting, nothing that could end it. */
    private static final Pattern IDENTIFIER = Pattern.compile("^[a-z_][a-z0-9_]*$");

    private SqlProbe() {}

    /** {@code name} itself if it is a plain identifier; otherwise an IllegalArgumentException. */
    public static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("refusing \"" + name + "\" as an SQL identifier: only ^[a-z_][a-z0-9_]*$ is accepted");
        }
        return name;
    }

    /** {@code SELECT count(*) FROM table WHERE column = ?}, with both names checked. */
    public static String countWhere(String table, String column) {
        return "SELECT count(*) FROM " + identifier(table) + " WHERE " + identifier(column) + " = ?";
    }

    /** Rows where {@code column = value} in {@code table}; the value is a parameter. */
    public static Evidence count(String host, int port, String database, String user, String password,
                                 String table, String column, Object value) {
        String sql;
        try {
            sql = countWhere(table, column);
        } catch (IllegalArgumentException e) {
            return Evidence.failed("count of " + table + " rows where " + column + " = ?", e.getMessage());
        }
        return query(host, port, database, user, password, sql, value);
    }

    /** Runs {@code sql} with {@code params} bound to its {@code ?} in order; at most 20 rows are kept. */
    public static Evidence query(String host, int port, String database, String user, String password, String sql, Object... params) {
        String what = "SQL \"" + sql + "\"" + (params.length == 0 ? "" : " with " + Arrays.toString(params))
                + " on " + user + "@" + host + ":" + port + "/" + database;
        try {
            identifier(database);
        } catch (IllegalArgumentException e) {
            return Evidence.failed(what, e.getMessage());
        }
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
             PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) s.setObject(i + 1, params[i]);
            try (ResultSet rs = s.executeQuery()) {
                List<String> rows = new ArrayList<>();
                int cols = rs.getMetaData().getColumnCount();
                while (rs.next() && rows.size() < 20) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= cols; i++) row.add(String.valueOf(rs.getObject(i)));
                    rows.add(String.join("|", row));
                }
                return Evidence.ok(what, rows.size() + " row(s): " + rows);
            }
        } catch (Exception e) {
            return Evidence.failed(what, Evidence.message(e));
        }
    }

    /** The first column of the first row, or null when the query failed or returned no row. */
    public static String scalar(Evidence e) {
        String o = e.observed();
        int open = o.indexOf('['), close = o.lastIndexOf(']');
        if (!e.ok() || open < 0 || close <= open + 1) return null;
        String first = o.substring(open + 1, close).split(", ")[0];
        return first.split("\\|")[0];
    }
}
