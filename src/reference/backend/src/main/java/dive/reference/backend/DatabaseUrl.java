package dive.reference.backend;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns {@code postgresql://user:pass@host:5432/db?params} into JDBC terms. Tolerant of the raw base64
 * passwords the DIVE scripts write (they may contain '/', '+', '='); percent-escapes are decoded.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password, String host, int port, String database) {

    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("DATABASE_URL is empty");
        }
        String s = url.trim();
        String rest;
        if (s.startsWith("postgresql://")) {
            rest = s.substring("postgresql://".length());
        } else if (s.startsWith("postgres://")) {
            rest = s.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException("DATABASE_URL must start with postgresql:// or postgres://");
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                user = decode(userInfo.substring(0, colon));
                password = decode(userInfo.substring(colon + 1));
            } else {
                user = decode(userInfo);
            }
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String hostPort = rest;
        String database = "postgres";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            hostPort = rest.substring(0, slash);
            String db = decode(rest.substring(slash + 1));
            if (!db.isEmpty()) {
                database = db;
            }
        }
        String host;
        int port = 5432;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("DATABASE_URL has an unterminated IPv6 host");
            }
            host = hostPort.substring(0, close + 1);
            String after = hostPort.substring(close + 1);
            if (after.startsWith(":") && after.length() > 1) {
                port = parsePort(after.substring(1));
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0) {
                host = hostPort.substring(0, colon);
                port = parsePort(hostPort.substring(colon + 1));
            } else {
                host = hostPort;
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("DATABASE_URL has no host");
        }
        String jdbc = "jdbc:postgresql://" + host + ":" + port + "/" + database + (query == null || query.isEmpty() ? "" : "?" + query);
        return new DatabaseUrl(jdbc, user, password, host, port, database);
    }

    private static int parsePort(String p) {
        try {
            int port = Integer.parseInt(p);
            if (port <= 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("DATABASE_URL has an invalid port");
        }
    }

    /** Percent-decoding as in RFC 3986 (a '+' stays a '+'); an invalid escape is kept literally. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
                out.write(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }

    /** For logs: the URL without its password. */
    public String masked() {
        return "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":****") + "@") + host + ":" + port
                + "/" + database;
    }

    @Override
    public String toString() {
        return masked();
    }
}
