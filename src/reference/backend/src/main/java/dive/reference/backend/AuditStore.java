package dive.reference.backend;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Audit rows in PostgreSQL ({@code audit_log}); a failure to write is logged, never hidden. */
public final class AuditStore implements AutoCloseable {
    public static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS audit_log ("
            + "id bigserial PRIMARY KEY, ts timestamptz NOT NULL DEFAULT now(), request_id text, subject text, "
            + "resource_id text, action text, decision text, reason text, instance text)";
    private static final String INSERT = "INSERT INTO audit_log (request_id, subject, resource_id, action, decision, "
            + "reason, instance) VALUES (?, ?, ?, ?, ?, ?, ?)";

    public record Row(String requestId, String subject, String resourceId, String action, String decision, String reason) {}

    private final DatabaseUrl url;
    private final String instance;
    private final Events events;
    private Connection connection;
    private boolean tableReady;
    private volatile String status;

    /** {@code url} null: persistence disabled (the DATABASE_URL warning has been logged by then). */
    public AuditStore(DatabaseUrl url, String instance, Events events) {
        this.url = url;
        this.instance = instance;
        this.events = events;
        this.status = url == null ? "disabled" : "connecting";
    }

    public boolean enabled() {
        return url != null;
    }

    /** Connects (5 attempts, 2 s apart) and creates the table. */
    public void init(Retry.Sleeper sleeper) {
        if (url == null) {
            return;
        }
        events.info("PostgreSQL audit persistence: connecting to " + url.masked());
        try {
            Retry.run(Retry.growing(5, 2000, 1.0, 2000), e -> e instanceof SQLException, () -> {
                        synchronized (this) {
                            ensureReady();
                        }
                        return null;
                    },
                    (attempt, delay, e) -> events.warn("PostgreSQL connection attempt " + attempt + "/5 failed ("
                            + e.getMessage() + "), retrying in " + delay + "ms..."),
                    sleeper);
            status = "up";
            events.info("PostgreSQL audit persistence enabled (table audit_log ready)");
        } catch (Exception e) {
            status = "down";
            events.error("PostgreSQL audit persistence unavailable: " + e.getMessage());
        }
    }

    private void ensureReady() throws SQLException {
        if (connection == null || !connection.isValid(2)) {
            closeQuietly();
            Properties p = new Properties();
            if (url.user() != null) {
                p.setProperty("user", url.user());
            }
            if (url.password() != null) {
                p.setProperty("password", url.password());
            }
            p.setProperty("connectTimeout", "5");
            p.setProperty("socketTimeout", "15");
            p.setProperty("ApplicationName", "dive-backend-" + instance.toLowerCase());
            connection = DriverManager.getConnection(url.jdbcUrl(), p);
            tableReady = false;
        }
        if (!tableReady) {
            try (Statement st = connection.createStatement()) {
                st.execute(CREATE_TABLE);
            }
            tableReady = true;
        }
    }

    /** Inserts one row; returns whether it was persisted. */
    public boolean record(Row row) {
        if (url == null) {
            return false;
        }
        synchronized (this) {
            try {
                ensureReady();
                try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
                    ps.setString(1, row.requestId());
                    ps.setString(2, row.subject());
                    ps.setString(3, row.resourceId());
                    ps.setString(4, row.action());
                    ps.setString(5, row.decision());
                    ps.setString(6, row.reason());
                    ps.setString(7, instance);
                    ps.executeUpdate();
                }
                status = "up";
                return true;
            } catch (SQLException e) {
                status = "down";
                events.error("Audit log insert failed (request " + row.requestId() + ", decision " + row.decision()
                        + "): " + e.getMessage());
                closeQuietly();
                return false;
            }
        }
    }

    /** disabled | up | down, probed with a real round trip. */
    public String check() {
        if (url == null) {
            return "disabled";
        }
        synchronized (this) {
            try {
                ensureReady();
                try (Statement st = connection.createStatement()) {
                    st.setQueryTimeout(3);
                    st.execute("SELECT 1 FROM audit_log LIMIT 1");
                }
                status = "up";
            } catch (SQLException e) {
                status = "down";
                closeQuietly();
            }
        }
        return status;
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
