package dive.verify.reference.mongodb;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;

/**
 * Wraps mongo-java-server's in-memory backend with what a real mongod of the
 * DIVE deployment does and the library does not: replica-set state
 * (hello, replSetInitiate, replSetGetStatus, replSetStepDown, NotWritablePrimary)
 * and SCRAM authentication (saslStart, saslContinue, Unauthorized).
 */
final class StandinBackend implements MongoBackend {

    static final String ADMIN = "admin";

    /** Commands a client may run before it authenticates (as with a real mongod). */
    private static final Set<String> NO_AUTH_NEEDED = Set.of(
            "hello", "ismaster", "ping", "buildinfo", "saslstart", "saslcontinue",
            "logout", "connectionstatus", "endsessions", "whatsmyuri");

    /** Commands that write, refused with NotWritablePrimary unless this node is primary. */
    private static final Set<String> WRITES = Set.of(
            "insert", "update", "delete", "findandmodify", "createindexes", "create", "drop",
            "dropdatabase", "dropindexes", "deleteindexes", "renamecollection", "collmod",
            "mapreduce", "applyops", "createuser", "updateuser", "dropuser", "createrole");

    private final MongoBackend delegate;
    private final ReplicaSet replicaSet;
    private final boolean authRequired;
    private final String advertisedHost;
    private final Map<String, Map<Scram.Mechanism, Scram.Credential>> users = new ConcurrentHashMap<>();
    private final Map<Channel, Session> sessions = new ConcurrentHashMap<>();
    private final IndexCatalog indexes = new IndexCatalog();
    private final AtomicInteger connectionIds = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Instant started = Instant.now();
    private volatile int port;

    private static final class Session {
        final int connectionId;
        volatile String user;      // "db.user" once authenticated
        volatile String userName;
        volatile String userDb;
        Scram.Conversation conversation;
        String conversationDb;
        boolean skipEmptyExchange;

        Session(int connectionId) {
            this.connectionId = connectionId;
        }
    }

    StandinBackend(MongoBackend delegate, ReplicaSet replicaSet, boolean authRequired, String advertisedHost) {
        this.delegate = delegate;
        this.replicaSet = replicaSet;
        this.authRequired = authRequired;
        this.advertisedHost = advertisedHost;
    }

    void setPort(int port) {
        this.port = port;
    }

    void addUser(String db, String user, char[] password) {
        Map<Scram.Mechanism, Scram.Credential> creds = new EnumMap<>(Scram.Mechanism.class);
        for (Scram.Mechanism m : Scram.Mechanism.values()) {
            creds.put(m, Scram.mongoCredential(m, user, password));
        }
        users.put(db + "." + user, creds);
    }

    ReplicaSet replicaSet() {
        return replicaSet;
    }

    // ------------------------------------------------------------------ dispatch

    @Override
    public Document handleMessage(MongoMessage message) {
        Document query = message.getDocument();
        String command = query.keySet().iterator().next();
        return dispatch(message.getChannel(), message.getDatabaseName(), command, query,
                () -> delegate.handleMessage(message));
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        return dispatch(channel, database, command, query,
                () -> delegate.handleCommand(channel, database, command, query));
    }

    private Document dispatch(Channel channel, String db, String command, Document query,
                              Supplier<Document> library) {
        Session session = session(channel);
        String cmd = command.toLowerCase(Locale.ROOT);
        try {
            switch (cmd) {
                case "hello":
                case "ismaster":
                    return hello(channel, session, db, query, cmd.equals("hello"));
                case "ping":
                    return ok(new Document());
                case "saslstart":
                    return saslStart(session, db, query);
                case "saslcontinue":
                    return saslContinue(session, channel, query);
                case "logout":
                    session.user = null;
                    return ok(new Document());
                case "connectionstatus":
                    return connectionStatus(session);
                default:
                    break;
            }
            if (authRequired && session.user == null && !NO_AUTH_NEEDED.contains(cmd)) {
                return error(13, "Unauthorized", "Command " + command + " requires authentication");
            }
            switch (cmd) {
                case "replsetgetstatus":
                    return replSetGetStatus();
                case "replsetgetconfig":
                    return replSetGetConfig();
                case "replsetinitiate":
                    return replSetInitiate(query.get(command));
                case "replsetstepdown":
                    return replSetStepDown(query.get(command));
                default:
                    break;
            }
            if (isWrite(cmd, query) && !"local".equals(db) && !writable()) {
                return error(10107, "NotWritablePrimary", "not primary");
            }
            switch (cmd) {
                case "createindexes":
                    return createIndexes(channel, db, command, query);
                case "listindexes":
                    return listIndexes(db, command, query);
                case "dropindexes":
                case "deleteindexes":
                    return dropIndexes(channel, db, command, query);
                default:
                    break;
            }
            Document answer = library.get();
            if (Utils.isOk(answer)) {
                afterLibrary(db, command, cmd, query);
            }
            return answer;
        } catch (MongoServerException e) {
            Document d = new Document();
            d.put("ok", 0);
            d.put("errmsg", e.getMessageWithoutErrorCode());
            if (e instanceof MongoServerError se) {
                d.put("code", se.getCode());
                d.putIfNotNull("codeName", se.getCodeName());
            }
            return d;
        }
    }

    // ------------------------------------------------------------------ index catalog

    private boolean collectionExists(String db, String collection) {
        return delegate.resolveDatabase(db).resolveCollection(collection, false) != null;
    }

    private static String collectionName(String command, Document query) {
        Object name = query.get(command);
        if (!(name instanceof String s) || s.isEmpty()) {
            throw new MongoServerError(73, "InvalidNamespace", "collection name has invalid type "
                    + (name == null ? "null" : name.getClass().getSimpleName()));
        }
        return s;
    }

    private Document createIndexes(Channel channel, String db, String command, Document query) {
        String collection = collectionName(command, query);
        return indexes.createIndexes(db, collection, query, collectionExists(db, collection), replicaSet != null,
                (exists, forLibrary) -> {
                    if (!forLibrary.isEmpty()) {
                        List<Object> names = new ArrayList<>();
                        forLibrary.forEach(spec -> names.add(spec.get("name")));
                        try {
                            Document r = delegate.handleCommand(channel, db, "createIndexes",
                                    new Document("createIndexes", collection).append("indexes", forLibrary));
                            if (!Utils.isOk(r)) {
                                undoLibraryIndexes(channel, db, collection, names);
                            }
                            return r;
                        } catch (RuntimeException e) {
                            undoLibraryIndexes(channel, db, collection, names);
                            throw e;
                        }
                    }
                    if (!exists) {
                        return delegate.handleCommand(channel, db, "create", new Document("create", collection));
                    }
                    return null;
                });
    }

    /** All or nothing: drops what the library may have built of a failed createIndexes. */
    private void undoLibraryIndexes(Channel channel, String db, String collection, List<Object> names) {
        for (Object name : names) {
            try {
                delegate.handleCommand(channel, db, "dropIndexes",
                        new Document("dropIndexes", collection).append("index", name));
            } catch (RuntimeException ignored) {
                // it was not built
            }
        }
    }

    private Document listIndexes(String db, String command, Document query) {
        String collection = collectionName(command, query);
        if (!collectionExists(db, collection)) {
            return error(26, "NamespaceNotFound", "ns does not exist: " + db + "." + collection);
        }
        return indexes.listIndexes(db, collection);
    }

    private Document dropIndexes(Channel channel, String db, String command, Document query) {
        String collection = collectionName(command, query);
        if (!collectionExists(db, collection)) {
            return error(26, "NamespaceNotFound", "ns not found " + db + "." + collection);
        }
        synchronized (indexes) {
            int before = indexes.count(db, collection);
            List<Document> specs = indexes.toDrop(db, collection, query.get("index"));
            for (Document spec : specs) {
                if (IndexCatalog.inLibrary(spec)) {
                    Document r = delegate.handleCommand(channel, db, "dropIndexes",
                            new Document("dropIndexes", collection).append("index", spec.get("name")));
                    if (!Utils.isOk(r)) {
                        Log.warn("library refused to drop index " + spec.get("name") + " on " + db + "."
                                + collection + ": " + r.get("errmsg"));
                    }
                }
            }
            indexes.remove(db, collection, specs);
            Document r = new Document("nIndexesWas", before);
            if ("*".equals(query.get("index"))) {
                r.put("msg", "non-_id indexes dropped for collection");
            }
            return ok(r);
        }
    }

    /** Keeps the catalog in step with what the library dropped or renamed. */
    private void afterLibrary(String db, String command, String cmd, Document query) {
        switch (cmd) {
            case "drop" -> {
                if (query.get(command) instanceof String collection) {
                    indexes.dropCollection(db, collection);
                }
            }
            case "dropdatabase" -> indexes.dropDatabase(db);
            case "renamecollection" -> {
                if (query.get(command) instanceof String from && query.get("to") instanceof String to) {
                    indexes.rename(from, to);
                }
            }
            default -> {
            }
        }
    }

    private Session session(Channel channel) {
        if (channel == null) {
            return new Session(0);
        }
        return sessions.computeIfAbsent(channel, c -> new Session(connectionIds.incrementAndGet()));
    }

    private boolean writable() {
        return replicaSet == null || replicaSet.snapshot().primary();
    }

    private static boolean isWrite(String cmd, Document query) {
        if (WRITES.contains(cmd)) {
            return true;
        }
        if (cmd.equals("aggregate") && query.get("pipeline") instanceof List<?> pipeline) {
            for (Object stage : pipeline) {
                if (stage instanceof Document d && (d.containsKey("$out") || d.containsKey("$merge"))) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ hello

    private Document hello(Channel channel, Session session, String db, Document query, boolean isHello) {
        Document library = delegate.handleCommand(channel, db, "isMaster", new Document("isMaster", 1));
        ReplicaSet.Snapshot rs = replicaSet == null ? null : replicaSet.snapshot();
        boolean writable = rs == null || rs.primary();

        Document r = new Document();
        if (query.containsKey("helloOk")) {
            r.put("helloOk", Boolean.TRUE);
        }
        r.put(isHello ? "isWritablePrimary" : "ismaster", writable);
        if (rs != null) {
            if (!rs.initiated()) {
                r.put("secondary", Boolean.FALSE);
                r.put("info", "Does not have a valid replica set config");
                r.put("isreplicaset", Boolean.TRUE);
            } else {
                r.put("hosts", List.of(rs.memberName()));
                r.put("setName", rs.setName());
                r.put("setVersion", rs.configVersion());
                r.put("secondary", !rs.primary());
                if (rs.primary()) {
                    r.put("primary", rs.memberName());
                    r.put("electionId", electionId(rs.term()));
                }
                r.put("me", rs.memberName());
            }
        }
        for (String k : List.of("maxBsonObjectSize", "maxMessageSizeBytes", "maxWriteBatchSize")) {
            r.putIfNotNull(k, library.get(k));
        }
        r.put("localTime", Instant.now());
        r.put("connectionId", session.connectionId);
        r.putIfNotNull("minWireVersion", library.get("minWireVersion"));
        r.putIfNotNull("maxWireVersion", library.get("maxWireVersion"));
        r.put("readOnly", Boolean.FALSE);
        if (query.get("saslSupportedMechs") instanceof String who && users.containsKey(who)) {
            r.put("saslSupportedMechs", List.of(Scram.Mechanism.SHA_1.saslName, Scram.Mechanism.SHA_256.saslName));
        }
        if (query.get("speculativeAuthenticate") instanceof Document spec && spec.containsKey("saslStart")) {
            Object specDb = spec.get("db");
            Document answer = saslStart(session, specDb instanceof String s ? s : db, spec);
            if (Utils.isOk(answer)) {
                answer.remove("ok");
                r.put("speculativeAuthenticate", answer);
            }
        }
        return ok(r);
    }

    private static ObjectId electionId(long term) {
        ByteBuffer b = ByteBuffer.allocate(12);
        b.putInt(0x7fffffff);
        b.putLong(term);
        return new ObjectId(b.array());
    }

    // ------------------------------------------------------------------ auth

    private Document saslStart(Session session, String db, Document query) {
        Object mech = query.get("mechanism");
        Scram.Mechanism m = mech instanceof String s ? Scram.Mechanism.bySaslName(s) : null;
        if (m == null) {
            return error(334, "MechanismUnavailable",
                    "Received authentication for mechanism " + mech + " which is unknown or not enabled");
        }
        Scram.Conversation conversation = new Scram.Conversation(m, user -> {
            Map<Scram.Mechanism, Scram.Credential> c = users.get(db + "." + user);
            return c == null ? null : c.get(m);
        });
        String serverFirst;
        try {
            serverFirst = conversation.start(payload(query));
        } catch (Scram.AuthenticationFailed e) {
            return authFailed(db, conversation.user(), m, e.getMessage());
        }
        synchronized (session) {
            session.conversation = conversation;
            session.conversationDb = db;
            session.skipEmptyExchange = query.get("options") instanceof Document o
                    && Utils.isTrue(o.get("skipEmptyExchange"));
        }
        Document r = new Document();
        r.put("conversationId", 1);
        r.put("done", Boolean.FALSE);
        r.put("payload", new BinData(serverFirst.getBytes(StandardCharsets.UTF_8)));
        return ok(r);
    }

    private Document saslContinue(Session session, Channel channel, Document query) {
        Scram.Conversation conversation;
        String db;
        boolean skipEmpty;
        synchronized (session) {
            conversation = session.conversation;
            db = session.conversationDb;
            skipEmpty = session.skipEmptyExchange;
        }
        if (conversation == null) {
            return error(17, "ProtocolError", "No SASL session state found");
        }
        Document r = new Document();
        r.put("conversationId", 1);
        if (conversation.finished()) {
            // the client's empty last step
            clearConversation(session);
            r.put("done", Boolean.TRUE);
            r.put("payload", new BinData(new byte[0]));
            return ok(r);
        }
        String serverFinal;
        try {
            serverFinal = conversation.finish(payload(query));
        } catch (Scram.AuthenticationFailed e) {
            clearConversation(session);
            return authFailed(db, conversation.user(), conversation.mechanism(), e.getMessage());
        }
        session.userName = conversation.user();
        session.userDb = db;
        session.user = db + "." + conversation.user();
        if (skipEmpty) {
            clearConversation(session);
        }
        r.put("done", skipEmpty);
        r.put("payload", new BinData(serverFinal.getBytes(StandardCharsets.UTF_8)));
        return ok(r);
    }

    private static void clearConversation(Session session) {
        synchronized (session) {
            session.conversation = null;
            session.conversationDb = null;
        }
    }

    private Document authFailed(String db, String user, Scram.Mechanism m, String reason) {
        // user names are not secret; passwords and proofs never reach this line
        Log.warn("authentication failed: user '" + user + "' on db '" + db + "' with " + m.saslName + ": " + reason);
        return error(18, "AuthenticationFailed", "Authentication failed.");
    }

    private static String payload(Document query) {
        Object p = query.get("payload");
        if (p instanceof BinData b) {
            return new String(b.getData(), StandardCharsets.UTF_8);
        }
        if (p instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (p instanceof String s) {
            return s;
        }
        return "";
    }

    private Document connectionStatus(Session session) {
        List<Document> usersOut = new ArrayList<>();
        List<Document> roles = new ArrayList<>();
        if (session.user != null) {
            usersOut.add(new Document("user", session.userName).append("db", session.userDb));
            roles.add(new Document("role", "root").append("db", ADMIN));
        }
        Document authInfo = new Document("authenticatedUsers", usersOut).append("authenticatedUserRoles", roles);
        return ok(new Document("authInfo", authInfo));
    }

    // ------------------------------------------------------------------ replica set

    private Document noReplication() {
        return error(76, "NoReplicationEnabled", "not running with --replSet");
    }

    private Document replSetGetStatus() {
        if (replicaSet == null) {
            return noReplication();
        }
        ReplicaSet.Snapshot rs = replicaSet.snapshot();
        if (!rs.initiated()) {
            return error(94, "NotYetInitialized", "no replset config has been received");
        }
        Document member = new Document();
        member.put("_id", 0);
        member.put("name", rs.memberName());
        member.put("health", 1.0);
        member.put("state", rs.state().code);
        member.put("stateStr", rs.state().str);
        member.put("uptime", Duration.between(started, Instant.now()).toSeconds());
        member.put("syncSourceHost", "");
        member.put("configVersion", rs.configVersion());
        member.put("configTerm", rs.term());
        if (rs.primary() && rs.electionTime() != null) {
            member.put("electionDate", rs.electionTime());
        }
        member.put("self", Boolean.TRUE);
        Document r = new Document();
        r.put("set", rs.setName());
        r.put("date", Instant.now());
        r.put("myState", rs.state().code);
        r.put("term", rs.term());
        r.put("heartbeatIntervalMillis", 2000L);
        r.put("members", List.of(member));
        return ok(r);
    }

    private Document replSetGetConfig() {
        if (replicaSet == null) {
            return noReplication();
        }
        ReplicaSet.Snapshot rs = replicaSet.snapshot();
        if (!rs.initiated()) {
            return error(94, "NotYetInitialized", "no replset config has been received");
        }
        Document member = new Document("_id", 0).append("host", rs.memberName()).append("arbiterOnly", false)
                .append("buildIndexes", true).append("hidden", false).append("priority", 1.0)
                .append("tags", new Document()).append("secondaryDelaySecs", 0L).append("votes", 1);
        Document config = new Document("_id", rs.setName()).append("version", rs.configVersion())
                .append("term", rs.term()).append("protocolVersion", 1L).append("members", List.of(member))
                .append("settings", new Document());
        return ok(new Document("config", config));
    }

    private Document replSetInitiate(Object arg) {
        if (replicaSet == null) {
            return error(76, "NoReplicationEnabled", "This node was not started with replication enabled.");
        }
        String member = advertisedHost + ":" + port;
        boolean defaultConfig = true;
        if (arg instanceof Document config && !config.isEmpty()) {
            defaultConfig = false;
            Object id = config.get("_id");
            if (id != null && !replicaSet.setName().equals(id)) {
                return error(93, "InvalidReplicaSetConfig", "Attempting to initiate a replica set with name "
                        + id + ", but command line reports " + replicaSet.setName() + "; rejecting");
            }
            if (config.get("members") instanceof List<?> members) {
                if (members.size() != 1 || !(members.get(0) instanceof Document m0)
                        || !(m0.get("host") instanceof String host)) {
                    return error(93, "InvalidReplicaSetConfig",
                            "the MongoDB stand-in supports a replica set of exactly one member with a host");
                }
                member = host.contains(":") ? host : host + ":27017";
            }
        }
        if (!replicaSet.initiate(member)) {
            return error(23, "AlreadyInitialized", "already initialized");
        }
        Document r = new Document();
        if (defaultConfig) {
            r.put("info2", "no configuration specified. Using a default configuration for the set");
            r.put("me", member);
        }
        return ok(r);
    }

    private Document replSetStepDown(Object arg) {
        if (replicaSet == null) {
            return noReplication();
        }
        double seconds = arg instanceof Number n ? n.doubleValue() : 60;
        if (!(seconds > 0)) {
            return error(2, "BadValue", "stepdown period must be a positive number of seconds");
        }
        if (!replicaSet.stepDown(Math.round(seconds * 1000))) {
            return error(10107, "NotWritablePrimary", "not primary so can't step down");
        }
        return ok(new Document());
    }

    // ------------------------------------------------------------------ helpers

    private static Document ok(Document d) {
        d.put("ok", 1.0);
        return d;
    }

    static Document error(int code, String codeName, String message) {
        Document d = new Document();
        d.put("ok", 0.0);
        d.put("errmsg", message);
        d.put("code", code);
        d.put("codeName", codeName);
        return d;
    }

    /** Small local helpers so as not to lean on the library's internal Utils. */
    private static final class Utils {
        static boolean isOk(Document d) {
            return d.get("ok") instanceof Number n && n.doubleValue() == 1.0;
        }

        static boolean isTrue(Object o) {
            if (o instanceof Boolean b) {
                return b;
            }
            return o instanceof Number n && n.doubleValue() != 0;
        }
    }

    // ------------------------------------------------------------------ plain delegation

    @Override
    public void handleClose(Channel channel) {
        sessions.remove(channel);
        delegate.handleClose(channel);
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        Session session = session(query.getChannel());
        if (authRequired && session.user == null) {
            throw new MongoServerError(13, "Unauthorized", "command find requires authentication");
        }
        return delegate.handleQuery(query);
    }

    @Override
    public void dropDatabase(String database) {
        delegate.dropDatabase(database);
        indexes.dropDatabase(database);
    }

    @Override
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        return delegate.getCurrentOperations(query);
    }

    @Override
    public Document getServerStatus() {
        return delegate.getServerStatus();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (replicaSet != null) {
                replicaSet.close();
            }
            delegate.close();
        }
    }

    @Override
    public void closeCursors(List<Long> cursorIds) {
        delegate.closeCursors(cursorIds);
    }

    @Override
    public Clock getClock() {
        return delegate.getClock();
    }

    @Override
    public void enableOplog() {
        delegate.enableOplog();
    }

    @Override
    public void disableOplog() {
        delegate.disableOplog();
    }

    @Override
    public MongoDatabase resolveDatabase(String database) {
        return delegate.resolveDatabase(database);
    }

    @Override
    public MongoBackend version(MongoVersion version) {
        delegate.version(version);
        return this;
    }

    static String describe(SocketAddress a) {
        return a instanceof InetSocketAddress i ? i.getHostString() + ":" + i.getPort() : String.valueOf(a);
    }
}
