package dive.verify.reference.mongodb;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mongod}-compatible entry point of the stand-in. Understands the flags
 * the DIVE templates use and the official image's MONGO_INITDB_* environment.
 */
public final class MongodMain {

    /** Exit code of mongod for bad options. */
    static final int EXIT_BAD_OPTIONS = 2;

    /** Parsed command line; {@code error} set means: print it and exit 2. */
    record Cli(String replSet, List<String> bindIps, boolean bindAll, Integer port, String keyFile,
               boolean auth, boolean help, boolean version, List<String> ignored, String error) {
    }

    private MongodMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
        // code < 0: the server runs until the process is stopped
    }

    /** @return an exit code, or -1 when the server was started and keeps running */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Cli cli = parse(args);
        if (cli.error() != null) {
            err.println("Error parsing command line: " + cli.error());
            err.println("try 'mongod --help' for more information");
            return EXIT_BAD_OPTIONS;
        }
        if (cli.help()) {
            out.println(usage());
            return 0;
        }
        if (cli.version()) {
            out.println("db version v5.0.0 (mongodb-standin on mongo-java-server " + StandinServer.libraryVersion() + ")");
            return 0;
        }
        StandinConfig config;
        try {
            config = configure(cli, env);
        } catch (IllegalArgumentException e) {
            err.println("mongodb-standin: " + e.getMessage());
            return 1;
        }
        StandinServer server = new StandinServer(config);
        try {
            server.start();
        } catch (RuntimeException e) {
            Log.error("cannot listen on " + config.bindAddresses() + " port " + config.port() + ": " + e);
            return 48; // mongod: listen failure
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Log.info("shutting down");
            server.close();
        }, "shutdown"));
        for (String ignored : cli.ignored()) {
            Log.info("option " + ignored + " accepted and ignored (in-memory stand-in)");
        }
        Log.info("mongodb-standin (mongo-java-server " + StandinServer.libraryVersion() + ", in memory) listening on "
                + String.join(",", config.bindAddresses()) + " port " + server.port());
        Log.info(config.replSetName() == null ? "standalone (no --replSet)"
                : "replica set " + config.replSetName() + " not initiated yet; waiting for replSetInitiate (rs.initiate())");
        Log.info(config.auth()
                ? "authentication enabled" + (config.rootUser() != null
                        ? "; root user '" + config.rootUser() + "' in admin (SCRAM-SHA-256, SCRAM-SHA-1)"
                        : "; no user defined")
                : "authentication disabled");
        if (config.initDatabase() != null) {
            Log.info("database '" + config.initDatabase() + "' created");
        }
        if (cli.keyFile() != null) {
            Log.info("keyFile " + cli.keyFile() + " accepted (single member: no internal authentication needed)");
        }
        return -1;
    }

    static StandinConfig configure(Cli cli, Map<String, String> env) {
        if (cli.keyFile() != null) {
            Path f = Path.of(cli.keyFile());
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                throw new IllegalArgumentException("error opening keyFile " + cli.keyFile()
                        + ": it must exist and be readable");
            }
        }
        String rootUser = valueOrFile(env, "MONGO_INITDB_ROOT_USERNAME");
        String rootPassword = valueOrFile(env, "MONGO_INITDB_ROOT_PASSWORD");
        if ((rootUser == null) != (rootPassword == null)) {
            throw new IllegalArgumentException("MONGO_INITDB_ROOT_USERNAME and MONGO_INITDB_ROOT_PASSWORD "
                    + "must be given together (or neither)");
        }
        List<String> bind = cli.bindAll() ? List.of("0.0.0.0")
                : cli.bindIps().isEmpty() ? List.of("127.0.0.1") : resolveBindIps(cli.bindIps());
        long secondaryMs = longEnv(env, "STANDIN_SECONDARY_MS", StandinConfig.DEFAULT_SECONDARY_MS);
        long minStepDownMs = longEnv(env, "STANDIN_MIN_STEPDOWN_MS", StandinConfig.DEFAULT_MIN_STEPDOWN_MS);
        String host = env.get("STANDIN_ADVERTISED_HOST");
        if (host == null || host.isBlank()) {
            host = localHostName();
        }
        String initDb = env.get("MONGO_INITDB_DATABASE");
        return new StandinConfig(cli.replSet(), bind, cli.port() == null ? StandinConfig.DEFAULT_PORT : cli.port(),
                cli.auth() || rootUser != null, rootUser, rootPassword == null ? null : rootPassword.toCharArray(),
                initDb == null || initDb.isBlank() ? null : initDb, secondaryMs, minStepDownMs, host);
    }

    static Cli parse(String[] args) {
        String replSet = null;
        List<String> bindIps = new ArrayList<>();
        boolean bindAll = false;
        Integer port = null;
        String keyFile = null;
        boolean auth = false;
        boolean help = false;
        boolean version = false;
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "--replSet", "--bind_ip", "--port", "--keyFile", "--dbpath", "--oplogSize",
                     "--wiredTigerCacheSizeGB" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            return error("the required argument for option '" + name + "' is missing");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--replSet" -> {
                            if (value.isBlank() || value.contains("/")) {
                                return error("bad --replSet value '" + value + "'");
                            }
                            replSet = value;
                        }
                        case "--bind_ip" -> {
                            for (String ip : value.split(",")) {
                                if (!ip.isBlank()) {
                                    bindIps.add(ip.trim());
                                }
                            }
                        }
                        case "--port" -> {
                            try {
                                port = Integer.parseInt(value);
                            } catch (NumberFormatException e) {
                                return error("the argument ('" + value + "') for option '--port' is invalid");
                            }
                            if (port < 0 || port > 65535) {
                                return error("port number must be between 0 and 65535");
                            }
                        }
                        case "--keyFile" -> keyFile = value;
                        default -> ignored.add(name + " " + value);
                    }
                }
                case "--bind_ip_all" -> bindAll = true;
                case "--auth" -> auth = true;
                case "--noauth" -> auth = false;
                case "--quiet" -> ignored.add(name);
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                default -> {
                    return error("unrecognised option '" + a + "'");
                }
            }
        }
        if (bindAll && !bindIps.isEmpty()) {
            return error("--bind_ip and --bind_ip_all are mutually exclusive");
        }
        return new Cli(replSet, List.copyOf(bindIps), bindAll, port, keyFile, auth, help, version, ignored, null);
    }

    private static Cli error(String message) {
        return new Cli(null, List.of(), false, null, null, false, false, false, List.of(), message);
    }

    private static List<String> resolveBindIps(List<String> ips) {
        List<String> out = new ArrayList<>();
        for (String ip : ips) {
            String v = ip.equals("localhost") ? "127.0.0.1" : ip;
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static String valueOrFile(Map<String, String> env, String name) {
        String v = env.get(name);
        String file = env.get(name + "_FILE");
        if (v != null && file != null) {
            throw new IllegalArgumentException("both " + name + " and " + name + "_FILE are set (but are exclusive)");
        }
        if (file != null) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read " + name + "_FILE " + file);
            }
        }
        return v == null || v.isEmpty() ? null : v;
    }

    private static long longEnv(Map<String, String> env, String name, long dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long l = Long.parseLong(v.trim());
            if (l < 0) {
                throw new NumberFormatException();
            }
            return l;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative number of milliseconds, not '" + v + "'");
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    static String usage() {
        return String.join("\n",
                "mongod (MongoDB stand-in, in memory) options:",
                "  --replSet NAME            run as the one member of replica set NAME (initiate with rs.initiate())",
                "  --bind_ip IP[,IP...]      addresses to listen on (default 127.0.0.1)",
                "  --bind_ip_all             listen on all IPv4 addresses",
                "  --port N                  port (default 27017)",
                "  --keyFile FILE            accepted; must exist and be readable",
                "  --auth                    require authentication",
                "  --dbpath, --oplogSize, --wiredTigerCacheSizeGB, --quiet   accepted and ignored",
                "environment: MONGO_INITDB_ROOT_USERNAME[_FILE], MONGO_INITDB_ROOT_PASSWORD[_FILE],",
                "  MONGO_INITDB_DATABASE, STANDIN_SECONDARY_MS (default 3000),",
                "  STANDIN_MIN_STEPDOWN_MS (default 1000), STANDIN_ADVERTISED_HOST (default: host name)");
    }
}
