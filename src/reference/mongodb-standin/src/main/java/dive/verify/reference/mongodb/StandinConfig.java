package dive.verify.reference.mongodb;

import java.util.List;

/**
 * Everything the stand-in needs to start. Built from the mongod-like command
 * line and the official image's environment by {@link MongodMain}, or directly
 * by tests.
 *
 * @param replSetName    replica set name (null: plain standalone server)
 * @param bindAddresses  addresses to listen on
 * @param port           TCP port (0: any free port)
 * @param auth           whether clients must authenticate
 * @param rootUser       root user created in {@code admin} (null: none)
 * @param rootPassword   its password (never logged)
 * @param initDatabase   database created at start (null: none)
 * @param secondaryMs    how long the node stays SECONDARY after initiation
 * @param minStepDownMs  lower bound of the SECONDARY period after replSetStepDown
 * @param advertisedHost host name used in the member name when rs.initiate() gets no config
 */
public record StandinConfig(
        String replSetName,
        List<String> bindAddresses,
        int port,
        boolean auth,
        String rootUser,
        char[] rootPassword,
        String initDatabase,
        long secondaryMs,
        long minStepDownMs,
        String advertisedHost) {

    public static final int DEFAULT_PORT = 27017;
    public static final long DEFAULT_SECONDARY_MS = 3000;
    public static final long DEFAULT_MIN_STEPDOWN_MS = 1000;

    public StandinConfig {
        bindAddresses = List.copyOf(bindAddresses);
        if (bindAddresses.isEmpty()) {
            throw new IllegalArgumentException("at least one bind address is needed");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if ((rootUser == null) != (rootPassword == null)) {
            throw new IllegalArgumentException("root user and password go together");
        }
    }

    /** A standalone server on 127.0.0.1 and a free port, no auth: a start for tests. */
    public static StandinConfig localTest() {
        return new StandinConfig(null, List.of("127.0.0.1"), 0, false, null, null, null,
                DEFAULT_SECONDARY_MS, DEFAULT_MIN_STEPDOWN_MS, "localhost");
    }

    public StandinConfig withReplSet(String name) {
        return new StandinConfig(name, bindAddresses, port, auth, rootUser, rootPassword, initDatabase,
                secondaryMs, minStepDownMs, advertisedHost);
    }

    public StandinConfig withRootUser(String user, char[] password) {
        return new StandinConfig(replSetName, bindAddresses, port, true, user, password, initDatabase,
                secondaryMs, minStepDownMs, advertisedHost);
    }

    public StandinConfig withTiming(long secondaryMs, long minStepDownMs) {
        return new StandinConfig(replSetName, bindAddresses, port, auth, rootUser, rootPassword, initDatabase,
                secondaryMs, minStepDownMs, advertisedHost);
    }

    public StandinConfig withInitDatabase(String db) {
        return new StandinConfig(replSetName, bindAddresses, port, auth, rootUser, rootPassword, db,
                secondaryMs, minStepDownMs, advertisedHost);
    }

    @Override
    public String toString() {
        // never the password
        return "StandinConfig[replSet=" + replSetName + ", bind=" + bindAddresses + ", port=" + port
                + ", auth=" + auth + ", rootUser=" + rootUser + ", initDatabase=" + initDatabase
                + ", secondaryMs=" + secondaryMs + "]";
    }
}
