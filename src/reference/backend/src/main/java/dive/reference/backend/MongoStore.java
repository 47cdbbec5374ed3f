package dive.reference.backend;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.MongoWriteException;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The backend's MongoDB: connection with retry, collections and indexes, resources, health. */
public final class MongoStore implements AutoCloseable {
    public static final int CONNECT_ATTEMPTS = 15;
    public static final int NOT_PRIMARY_RETRIES = 5;

    /** Server error codes that mean "this node does not take writes (yet)". */
    private static final Set<Integer> NOT_PRIMARY_CODES = Set.of(10107, 13435, 13436, 11602, 189, 91);

    public enum State { CONNECTING, CONNECTED, READY, FAILED }

    private final Config config;
    private final Events events;
    private final Retry.Sleeper sleeper;
    private volatile MongoClient client;
    private volatile MongoDatabase db;
    private volatile State state = State.CONNECTING;
    private volatile String lastError = "not connected yet";

    public MongoStore(Config config, Events events, Retry.Sleeper sleeper) {
        this.config = config;
        this.events = events;
        this.sleeper = sleeper;
    }

    public State state() {
        return state;
    }

    /** True when the error means the node is not (yet) a writable primary. */
    public static boolean isNotPrimary(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MongoNotPrimaryException) {
                return true;
            }
            if (t instanceof MongoCommandException mce) {
                if (NOT_PRIMARY_CODES.contains(mce.getErrorCode())
                        || "NotWritablePrimary".equals(mce.getErrorCodeName())
                        || "NotPrimaryNoSecondaryOk".equals(mce.getErrorCodeName())) {
                    return true;
                }
            }
            if (t instanceof MongoWriteException mwe && mwe.getError() != null
                    && NOT_PRIMARY_CODES.contains(mwe.getError().getCode())) {
                return true;
            }
            if (t instanceof MongoWriteConcernException mwce && mwce.getWriteConcernError() != null
                    && NOT_PRIMARY_CODES.contains(mwce.getWriteConcernError().getCode())) {
                return true;
            }
            String m = t.getMessage();
            if (m != null) {
                String lower = m.toLowerCase(Locale.ROOT);
                if (lower.contains("not primary") || lower.contains("notwritableprimary") || lower.contains("not master")) {
                    return true;
                }
                // replicaSet=... in the URL: the driver waits for a primary instead of sending the write
                if (t instanceof MongoTimeoutException
                        && (m.contains("WritableServerSelector") || m.contains("readPreference=primary}"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Creates the client and pings until MongoDB answers: 15 attempts, 1 s growing x1.5, capped at 10 s. */
    public void connect() throws Exception {
        ConnectionString cs = new ConnectionString(config.mongoUrl());
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(cs)
                .applyToClusterSettings(b -> {
                    if (cs.getServerSelectionTimeout() == null) {
                        b.serverSelectionTimeout(config.mongoServerSelectionTimeoutMs(), TimeUnit.MILLISECONDS);
                    }
                })
                .applyToSocketSettings(b -> {
                    if (cs.getConnectTimeout() == null) {
                        b.connectTimeout(3000, TimeUnit.MILLISECONDS);
                    }
                })
                .applicationName("dive-backend-" + config.instanceCode().toLowerCase(Locale.ROOT))
                .build();
        client = MongoClients.create(settings);
        db = client.getDatabase(config.mongoDatabase());
        List<Long> delays = Retry.growing(CONNECT_ATTEMPTS, config.mongoConnectInitialMs(), 1.5, 10_000);
        try {
            Retry.run(delays, e -> e instanceof MongoException, () -> {
                        client.getDatabase("admin").runCommand(new Document("ping", 1), ReadPreference.primaryPreferred());
                        return null;
                    },
                    (attempt, delay, e) -> events.warn(Messages.connectRetry(attempt, CONNECT_ATTEMPTS, delay, oneLine(e))),
                    sleeper);
        } catch (Exception e) {
            state = State.FAILED;
            lastError = oneLine(e);
            events.error("Failed to connect to MongoDB after " + CONNECT_ATTEMPTS + " attempts: " + oneLine(e));
            throw e;
        }
        state = State.CONNECTED;
        lastError = null;
        events.info("MongoDB connected (" + Redact.url(config.mongoUrl()) + ", database " + config.mongoDatabase() + ")");
    }

    /**
     * Indexes and collections of the backend. On "not primary": 5 retries, 2/4/8/16/32 s (base configurable),
     * then the contract's error line. Returns whether everything was created.
     */
    public boolean initCollections() {
        return initCollections(() -> {
            createIndexes(db, config.hub());
            return null;
        });
    }

    /** The retry around an index-creating action (separated so tests can drive it with a fake action). */
    boolean initCollections(Retry.Attempt<Void> action) {
        List<Long> delays = Retry.doubling(NOT_PRIMARY_RETRIES, config.mongoRetryBaseMs());
        try {
            Retry.run(delays, MongoStore::isNotPrimary, action,
                    (attempt, delay, e) -> events.warn(Messages.notPrimaryRetry(attempt, NOT_PRIMARY_RETRIES, delay)),
                    sleeper);
            events.info(Messages.INDEXES_CREATED);
            state = State.READY;
            return true;
        } catch (Exception e) {
            lastError = oneLine(e);
            if (isNotPrimary(e)) {
                events.error(Messages.INDEXES_FAILED_NOT_PRIMARY);
            } else {
                events.error("Failed to create MongoDB indexes: " + oneLine(e));
            }
            return false;
        }
    }

    static void createIndexes(MongoDatabase db, boolean hub) {
        MongoCollection<Document> issuers = db.getCollection("trusted_issuers");
        issuers.createIndex(Indexes.ascending("issuerUrl"), new IndexOptions().unique(true).name("issuerUrl_unique"));
        issuers.createIndex(Indexes.ascending("tenant"), new IndexOptions().name("tenant_1"));
        Set<String> existing = new HashSet<>();
        db.listCollectionNames().into(existing);
        List<String> wanted = new ArrayList<>(List.of("federation_matrix", "tenant_configs", "kas_registry"));
        for (String name : wanted) {
            if (!existing.contains(name)) {
                db.createCollection(name);
            }
        }
        db.getCollection("kas_registry").createIndex(Indexes.ascending("kasId"), new IndexOptions().name("kasId_1"));
        if (hub) {
            MongoCollection<Document> spokes = db.getCollection("federation_spokes");
            spokes.createIndex(Indexes.ascending("spokeId"), new IndexOptions().unique(true).name("spokeId_unique"));
            spokes.createIndex(Indexes.ascending("instanceCode"), new IndexOptions().unique(true).name("instanceCode_unique"));
            MongoCollection<Document> tokens = db.getCollection("federation_tokens");
            tokens.createIndex(Indexes.ascending("expiresAt"),
                    new IndexOptions().expireAfter(0L, TimeUnit.SECONDS).name("expiresAt_ttl"));
        }
    }

    /** Inserts the sample resources when the collection is empty. */
    public void seedResources() {
        try {
            MongoCollection<Document> resources = db.getCollection("resources");
            if (resources.countDocuments() > 0) {
                events.info("Resources present (" + resources.countDocuments() + "), not seeding");
                return;
            }
            resources.createIndex(Indexes.ascending("resourceId"), new IndexOptions().unique(true).name("resourceId_unique"));
            if (config.kasMasterKey() == null) {
                events.warn(Messages.KAS_MASTER_KEY_MISSING);
            }
            List<Document> docs = SampleResources.forInstance(config.instanceCode(), config.kasMasterKey());
            resources.insertMany(docs);
            events.info("Seeded " + docs.size() + " sample resources"
                    + (config.kasMasterKey() == null ? "" : " with encrypted ZTDF payloads"));
        } catch (MongoException e) {
            logWriteFailure("resource seeding", e);
        }
    }

    public List<Map<String, Object>> resources() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Document d : db.getCollection("resources").find().sort(Indexes.ascending("resourceId"))) {
            out.add(clean(d));
        }
        return out;
    }

    public Map<String, Object> resource(String id) {
        Document d = db.getCollection("resources").find(Filters.eq("resourceId", id)).first();
        return d == null ? null : clean(d);
    }

    private static Map<String, Object> clean(Document d) {
        Map<String, Object> m = new LinkedHashMap<>(d);
        m.remove("_id");
        return m;
    }

    public record Health(String status, boolean primary, boolean writable, String detail) {}

    /** Primary per {@code hello}; writable per a real upsert into {@code _health} (only tried on a primary). */
    public Health health() {
        MongoDatabase current = db;
        if (current == null || state == State.CONNECTING) {
            return new Health("down", false, false, "connecting: " + lastError);
        }
        if (state == State.FAILED && client == null) {
            return new Health("down", false, false, lastError);
        }
        boolean primary;
        String detail;
        try {
            MongoDatabase admin = client.getDatabase("admin");
            Document hello;
            try {
                hello = admin.runCommand(new Document("hello", 1), ReadPreference.primaryPreferred());
            } catch (MongoCommandException e) {
                if (e.getErrorCode() != 59) {
                    throw e;
                }
                hello = admin.runCommand(new Document("isMaster", 1), ReadPreference.primaryPreferred()); // servers without "hello"
            }
            Object wp = hello.get("isWritablePrimary");
            if (wp == null) {
                wp = hello.get("ismaster");
            }
            primary = Boolean.TRUE.equals(wp);
            detail = primary ? "PRIMARY" : (Boolean.TRUE.equals(hello.get("secondary")) ? "SECONDARY" : "not primary");
        } catch (MongoException e) {
            return new Health("down", false, false, oneLine(e));
        }
        if (!primary) {
            return new Health("down", false, false, detail);
        }
        try {
            current.getCollection("_health").updateOne(Filters.eq("_id", "backend"),
                    Updates.combine(Updates.set("ts", new Date()), Updates.set("instance", config.instanceCode())),
                    new UpdateOptions().upsert(true));
        } catch (MongoException e) {
            logWriteFailure("health probe", e);
            return new Health("down", true, false, oneLine(e));
        }
        if (state != State.READY) {
            return new Health("down", true, true, "PRIMARY and writable, but collections/indexes not created: " + lastError);
        }
        return new Health("up", true, true, detail);
    }

    void logWriteFailure(String operation, Exception e) {
        if (isNotPrimary(e)) {
            events.error(Messages.writeNotPrimary(operation, oneLine(e)));
        } else {
            events.error("MongoDB write failed during " + operation + ": " + oneLine(e));
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null) {
            m = e.getClass().getSimpleName();
        }
        m = m.replace('\n', ' ');
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    MongoDatabase database() {
        return db;
    }

    void useDatabase(MongoClient c, MongoDatabase d) {
        this.client = c;
        this.db = d;
        this.state = State.CONNECTED;
    }

    @Override
    public void close() {
        MongoClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
