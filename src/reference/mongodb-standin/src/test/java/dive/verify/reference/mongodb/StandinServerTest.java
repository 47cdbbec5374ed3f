package dive.verify.reference.mongodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;

/** The stand-in in-process on a free port, driven by the real mongodb-driver-sync. */
class StandinServerTest {

    private static final long SECONDARY_MS = 400;
    private static final long MIN_STEPDOWN_MS = 200;

    private static StandinServer start(StandinConfig config) {
        return new StandinServer(config.withTiming(SECONDARY_MS, MIN_STEPDOWN_MS)).start();
    }

    /** After a "not primary" error the driver re-checks the server (at least 500 ms apart): leave room for that. */
    private static final long SLOW_SECONDARY_MS = 2500;

    private static MongoClient client(StandinServer server, MongoCredential credential) {
        MongoClientSettings.Builder b = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(server.connectionString()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(3, TimeUnit.SECONDS))
                .applyToSocketSettings(s -> s.connectTimeout(2, TimeUnit.SECONDS))
                .retryWrites(false);
        if (credential != null) {
            b.credential(credential);
        }
        return MongoClients.create(b.build());
    }

    private static MongoCommandException commandError(Runnable r) {
        MongoException e = assertThrows(MongoException.class, r::run);
        assertTrue(e instanceof MongoCommandException, () -> "expected a command error, got " + e);
        return (MongoCommandException) e;
    }

    private static void eventually(long ms, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + ms + " ms");
            }
            Thread.sleep(25);
        }
    }

    private static int myState(MongoDatabase admin) {
        return admin.runCommand(new Document("replSetGetStatus", 1)).getInteger("myState");
    }

    @Test
    void standaloneHasNoSetNameAndAcceptsWrites() {
        try (StandinServer server = start(StandinConfig.localTest()); MongoClient client = client(server, null)) {
            Document hello = client.getDatabase("admin").runCommand(new Document("hello", 1));
            assertEquals(Boolean.TRUE, hello.getBoolean("isWritablePrimary"));
            assertNull(hello.get("setName"));
            client.getDatabase("t").getCollection("c").insertOne(new Document("a", 1));
            assertEquals(1, client.getDatabase("t").getCollection("c").countDocuments());
            MongoCommandException e = commandError(() ->
                    client.getDatabase("admin").runCommand(new Document("replSetGetStatus", 1)));
            assertEquals(76, e.getErrorCode());
        }
    }

    @Test
    void replicaSetLifecycle() throws Exception {
        try (StandinServer server = new StandinServer(StandinConfig.localTest().withReplSet("rs0")
                .withTiming(SLOW_SECONDARY_MS, MIN_STEPDOWN_MS)).start();
             MongoClient client = client(server, null)) {
            MongoDatabase admin = client.getDatabase("admin");
            MongoDatabase db = client.getDatabase("dive-v3-fra");

            // before rs.initiate()
            MongoCommandException notInit = commandError(() -> admin.runCommand(new Document("replSetGetStatus", 1)));
            assertEquals(94, notInit.getErrorCode());
            assertEquals("NotYetInitialized", notInit.getErrorCodeName());
            Document hello0 = admin.runCommand(new Document("hello", 1));
            assertEquals(Boolean.FALSE, hello0.getBoolean("isWritablePrimary"));
            assertEquals(Boolean.TRUE, hello0.getBoolean("isreplicaset"));
            assertNull(hello0.get("setName"));
            MongoCommandException early = commandError(() ->
                    db.runCommand(new Document("insert", "x").append("documents", List.of(new Document("a", 1)))));
            assertEquals(10107, early.getErrorCode());

            // rs.initiate() → SECONDARY
            Document init = admin.runCommand(new Document("replSetInitiate", new Document()));
            assertEquals(1.0, init.get("ok"));
            Document status = admin.runCommand(new Document("replSetGetStatus", 1));
            assertEquals("rs0", status.getString("set"));
            assertEquals(2, status.getInteger("myState"));
            List<Document> members = status.getList("members", Document.class);
            assertEquals(1, members.size());
            assertEquals("SECONDARY", members.get(0).getString("stateStr"));
            assertEquals(Boolean.TRUE, members.get(0).getBoolean("self"));
            assertEquals("localhost:" + server.port(), members.get(0).getString("name"));

            Document helloSecondary = admin.runCommand(new Document("hello", 1));
            assertEquals("rs0", helloSecondary.getString("setName"));
            assertEquals(Boolean.FALSE, helloSecondary.getBoolean("isWritablePrimary"));
            assertEquals(Boolean.TRUE, helloSecondary.getBoolean("secondary"));
            assertEquals(List.of("localhost:" + server.port()), helloSecondary.getList("hosts", String.class));
            assertNull(helloSecondary.get("primary"));

            // writes refused while SECONDARY: the exact error of the contract
            MongoException refused = assertThrows(MongoException.class,
                    () -> db.getCollection("trusted_issuers").insertOne(new Document("issuerUrl", "x")));
            assertEquals(10107, refused.getCode());
            assertTrue(refused.getMessage().contains("not primary"), refused.getMessage());
            MongoCommandException idx = commandError(() -> db.runCommand(new Document("createIndexes", "trusted_issuers")
                    .append("indexes", List.of(new Document("key", new Document("issuerUrl", 1)).append("name", "i")))));
            assertEquals(10107, idx.getErrorCode());
            assertEquals("NotWritablePrimary", idx.getErrorCodeName());
            assertEquals("not primary", idx.getErrorMessage());

            MongoCommandException again = commandError(() -> admin.runCommand(new Document("replSetInitiate", 1)));
            assertEquals(23, again.getErrorCode());

            // → PRIMARY
            eventually(5000, () -> myState(admin) == 1);
            Document helloPrimary = admin.runCommand(new Document("isMaster", 1));
            assertEquals(Boolean.TRUE, helloPrimary.getBoolean("ismaster"));
            assertEquals(Boolean.FALSE, helloPrimary.getBoolean("secondary"));
            assertEquals("localhost:" + server.port(), helloPrimary.getString("primary"));
            assertEquals(helloPrimary.getString("primary"), helloPrimary.getString("me"));
            eventually(3000, () -> {
                try {
                    db.getCollection("trusted_issuers").insertOne(new Document("issuerUrl", "https://idp"));
                    return true;
                } catch (MongoException e) {
                    return false; // the driver may still hold the server as unknown for a moment
                }
            });
            db.getCollection("trusted_issuers").createIndex(Indexes.ascending("issuerUrl"), new IndexOptions().unique(true));
            assertEquals(1, db.getCollection("trusted_issuers").countDocuments());

            // stepDown: SECONDARY for a while, then PRIMARY again
            admin.runCommand(new Document("replSetStepDown", 2));
            assertEquals(2, myState(admin));
            MongoCommandException down = commandError(() ->
                    db.runCommand(new Document("insert", "x").append("documents", List.of(new Document("a", 1)))));
            assertEquals(10107, down.getErrorCode());
            MongoCommandException notPrimary = commandError(() -> admin.runCommand(new Document("replSetStepDown", 1)));
            assertEquals(10107, notPrimary.getErrorCode());
            eventually(4000, () -> myState(admin) == 1);
            db.runCommand(new Document("insert", "x").append("documents", List.of(new Document("a", 2))));
            long termAfter = admin.runCommand(new Document("replSetGetStatus", 1)).get("term", Number.class).longValue();
            assertTrue(termAfter >= 2, "a new election after stepDown raises the term: " + termAfter);
        }
    }

    @Test
    void initiateWithConfigDocument() throws Exception {
        try (StandinServer server = start(StandinConfig.localTest().withReplSet("rs0"));
             MongoClient client = client(server, null)) {
            MongoDatabase admin = client.getDatabase("admin");
            MongoCommandException wrongName = commandError(() -> admin.runCommand(new Document("replSetInitiate",
                    new Document("_id", "other").append("members", List.of(new Document("_id", 0).append("host", "m:27017"))))));
            assertEquals(93, wrongName.getErrorCode());
            admin.runCommand(new Document("replSetInitiate", new Document("_id", "rs0")
                    .append("members", List.of(new Document("_id", 0).append("host", "mongodb-fra:27017")))));
            Document hello = admin.runCommand(new Document("hello", 1));
            assertEquals("mongodb-fra:27017", hello.getString("me"));
            Document conf = admin.runCommand(new Document("replSetGetConfig", 1));
            assertEquals("rs0", conf.get("config", Document.class).getString("_id"));
        }
    }

    @Test
    void authentication() {
        StandinConfig config = StandinConfig.localTest().withReplSet("rs0")
                .withRootUser("admin", "correct horse".toCharArray()).withInitDatabase("dive-v3-fra");
        try (StandinServer server = start(config)) {
            // unauthenticated: only the handshake commands
            try (MongoClient anon = client(server, null)) {
                MongoDatabase admin = anon.getDatabase("admin");
                admin.runCommand(new Document("ping", 1));
                Document hello = admin.runCommand(new Document("hello", 1).append("saslSupportedMechs", "admin.admin"));
                assertEquals(List.of("SCRAM-SHA-1", "SCRAM-SHA-256"), hello.getList("saslSupportedMechs", String.class));
                Document helloUnknown = admin.runCommand(new Document("hello", 1).append("saslSupportedMechs", "admin.nobody"));
                assertNull(helloUnknown.get("saslSupportedMechs"));
                MongoCommandException e = commandError(() -> admin.runCommand(new Document("replSetGetStatus", 1)));
                assertEquals(13, e.getErrorCode());
                assertEquals("Unauthorized", e.getErrorCodeName());
                MongoCommandException e2 = commandError(() -> anon.listDatabaseNames().into(new java.util.ArrayList<>()));
                assertEquals(13, e2.getErrorCode());
            }
            // right password, negotiated mechanism (SCRAM-SHA-256), SHA-256 and SHA-1 explicitly
            for (MongoCredential credential : List.of(
                    MongoCredential.createCredential("admin", "admin", "correct horse".toCharArray()),
                    MongoCredential.createScramSha256Credential("admin", "admin", "correct horse".toCharArray()),
                    MongoCredential.createScramSha1Credential("admin", "admin", "correct horse".toCharArray()))) {
                try (MongoClient c = client(server, credential)) {
                    MongoDatabase admin = c.getDatabase("admin");
                    admin.runCommand(new Document("replSetInitiate", new Document()));
                    Document status = admin.runCommand(new Document("connectionStatus", 1));
                    assertEquals("admin", status.get("authInfo", Document.class)
                            .getList("authenticatedUsers", Document.class).get(0).getString("user"));
                    assertTrue(c.listDatabaseNames().into(new java.util.ArrayList<>()).contains("dive-v3-fra"));
                } catch (MongoCommandException alreadyInitiated) {
                    assertEquals(23, alreadyInitiated.getErrorCode());
                }
            }
            // wrong password
            try (MongoClient bad = client(server,
                    MongoCredential.createCredential("admin", "admin", "wrong".toCharArray()))) {
                MongoSecurityException e = assertThrows(MongoSecurityException.class,
                        () -> bad.getDatabase("admin").runCommand(new Document("ping", 1)));
                Throwable cause = e.getCause();
                assertTrue(cause instanceof MongoCommandException, String.valueOf(cause));
                assertEquals(18, ((MongoCommandException) cause).getErrorCode());
                assertEquals("AuthenticationFailed", ((MongoCommandException) cause).getErrorCodeName());
            }
            // unknown user
            try (MongoClient bad = client(server,
                    MongoCredential.createScramSha256Credential("nobody", "admin", "x".toCharArray()))) {
                MongoSecurityException e = assertThrows(MongoSecurityException.class,
                        () -> bad.getDatabase("admin").runCommand(new Document("ping", 1)));
                assertEquals(18, ((MongoCommandException) e.getCause()).getErrorCode());
            }
        }
    }

    @Test
    void authenticatedClientSeesReplicaState() throws Exception {
        StandinConfig config = StandinConfig.localTest().withReplSet("rs0")
                .withRootUser("admin", "pw".toCharArray());
        try (StandinServer server = start(config);
             MongoClient c = client(server, MongoCredential.createCredential("admin", "admin", "pw".toCharArray()))) {
            MongoDatabase admin = c.getDatabase("admin");
            assertEquals(94, commandError(() -> admin.runCommand(new Document("replSetGetStatus", 1))).getErrorCode());
            admin.runCommand(new Document("replSetInitiate", new Document()));
            assertEquals(2, myState(admin));
            eventually(3000, () -> myState(admin) == 1);
            assertFalse(admin.runCommand(new Document("hello", 1)).getBoolean("secondary"));
        }
    }
}
