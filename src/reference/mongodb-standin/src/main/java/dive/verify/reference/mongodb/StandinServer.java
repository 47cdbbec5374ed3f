package dive.verify.reference.mongodb;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/** The stand-in, startable in-process (tests) or from {@link MongodMain}. */
public final class StandinServer implements AutoCloseable {

    private final StandinConfig config;
    private final List<MongoServer> servers = new ArrayList<>();
    private StandinBackend backend;
    private int port;

    public StandinServer(StandinConfig config) {
        this.config = config;
    }

    public synchronized StandinServer start() {
        if (backend != null) {
            throw new IllegalStateException("already started");
        }
        MemoryBackend memory = new MemoryBackend();
        ReplicaSet rs = config.replSetName() == null ? null
                : new ReplicaSet(config.replSetName(), config.secondaryMs(), config.minStepDownMs());
        if (rs != null) {
            memory.enableOplog(); // change streams want an oplog
        }
        backend = new StandinBackend(memory, rs, config.auth(), config.advertisedHost());
        if (config.rootUser() != null) {
            backend.addUser(StandinBackend.ADMIN, config.rootUser(), config.rootPassword());
        }
        if (config.initDatabase() != null && !config.initDatabase().isBlank()) {
            memory.resolveDatabase(config.initDatabase());
        }
        int wanted = config.port();
        try {
            for (String address : config.bindAddresses()) {
                MongoServer server = new MongoServer(backend);
                server.bind(new InetSocketAddress(address, wanted));
                servers.add(server);
                wanted = server.getLocalAddress().getPort(); // same port on every address
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        port = wanted;
        backend.setPort(port);
        return this;
    }

    public int port() {
        return port;
    }

    /** mongodb://host:port/?directConnection=true for the first bind address. */
    public String connectionString() {
        String host = config.bindAddresses().get(0);
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        return "mongodb://" + host + ":" + port + "/?directConnection=true";
    }

    public static String libraryVersion() {
        Properties p = new Properties();
        try (InputStream in = StandinServer.class.getResourceAsStream("/standin.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // fall through
        }
        return p.getProperty("mongo-java-server.version", "unknown");
    }

    @Override
    public synchronized void close() {
        for (MongoServer s : servers) {
            s.shutdownNow();
        }
        servers.clear();
        if (backend != null) {
            backend.close();
        }
    }
}
