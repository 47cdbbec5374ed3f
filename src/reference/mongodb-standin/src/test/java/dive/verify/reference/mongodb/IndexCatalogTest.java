package dive.verify.reference.mongodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;

/** The index catalog (createIndexes, listIndexes, dropIndexes, drop …) through the real mongodb-driver-sync. */
class IndexCatalogTest {

    private static StandinServer server;
    private static MongoClient client;

    @BeforeAll
    static void start() {
        server = new StandinServer(StandinConfig.localTest()).start();
        client = client(server);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static MongoClient client(StandinServer s) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(s.connectionString()))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(3, TimeUnit.SECONDS))
                .retryWrites(false).build());
    }

    private static List<Document> indexes(MongoCollection<Document> c) {
        return c.listIndexes().into(new ArrayList<>());
    }

    private static Document index(String name, Document key) {
        return new Document("v", 2).append("key", key).append("name", name);
    }

    private static final Document ID = index("_id_", new Document("_id", 1));

    private static MongoCommandException commandError(Runnable r) {
        MongoException e = assertThrows(MongoException.class, r::run);
        assertTrue(e instanceof MongoCommandException, () -> "expected a command error, got " + e);
        return (MongoCommandException) e;
    }

    @Test
    void diveBackendIndexesAreListedLikeMongoDB() {
        MongoDatabase db = client.getDatabase("dive-v3-fra");
        MongoCollection<Document> issuers = db.getCollection("trusted_issuers");
        assertEquals("issuerUrl_1", issuers.createIndex(Indexes.ascending("issuerUrl"), new IndexOptions().unique(true)));
        assertEquals("tenant_1", issuers.createIndex(Indexes.ascending("tenant")));
        assertTrue(db.listCollectionNames().into(new ArrayList<>()).contains("trusted_issuers"),
                "createIndexes creates the collection");
        assertEquals(List.of(ID,
                index("issuerUrl_1", new Document("issuerUrl", 1)).append("unique", true),
                index("tenant_1", new Document("tenant", 1))), indexes(issuers));

        MongoCollection<Document> tokens = db.getCollection("federation_tokens");
        tokens.createIndex(Indexes.ascending("expiresAt"), new IndexOptions().expireAfter(0L, TimeUnit.SECONDS));
        tokens.createIndex(Indexes.compoundIndex(Indexes.ascending("spokeId"), Indexes.descending("issuedAt")),
                new IndexOptions().name("spoke_issued"));
        tokens.createIndex(Indexes.ascending("revoked"),
                new IndexOptions().partialFilterExpression(Filters.eq("revoked", true)));
        List<Document> list = indexes(tokens);
        assertEquals(4, list.size());
        assertEquals(ID, list.get(0));
        Document ttl = list.get(1);
        assertEquals("expiresAt_1", ttl.getString("name"));
        assertEquals(new Document("expiresAt", 1), ttl.get("key"));
        assertEquals(0L, ttl.get("expireAfterSeconds", Number.class).longValue());
        assertEquals(index("spoke_issued", new Document("spokeId", 1).append("issuedAt", -1)), list.get(2));
        assertEquals(index("revoked_1", new Document("revoked", 1))
                .append("partialFilterExpression", new Document("revoked", true)), list.get(3));

        // the library still enforces the unique one; the non-unique one does not get in the way
        issuers.insertOne(new Document("issuerUrl", "https://idp/a").append("tenant", "FRA"));
        issuers.insertOne(new Document("issuerUrl", "https://idp/b").append("tenant", "FRA"));
        MongoWriteException dup = assertThrows(MongoWriteException.class,
                () -> issuers.insertOne(new Document("issuerUrl", "https://idp/a").append("tenant", "DEU")));
        assertEquals(11000, dup.getCode());
        assertEquals(2, issuers.countDocuments(Filters.eq("tenant", "FRA")));
    }

    @Test
    void createIndexesIsIdempotentAndReportsConflicts() {
        MongoDatabase db = client.getDatabase("idem");
        MongoCollection<Document> c = db.getCollection("c");
        Document first = db.runCommand(new Document("createIndexes", "c").append("indexes",
                List.of(new Document("key", new Document("tenant", 1)).append("name", "tenant_1"))));
        assertEquals(1, first.getInteger("numIndexesBefore"));
        assertEquals(2, first.getInteger("numIndexesAfter"));
        assertEquals(Boolean.TRUE, first.getBoolean("createdCollectionAutomatically"));

        // same name and key (1 and 1.0 are the same key value): nothing to do
        assertEquals("tenant_1", c.createIndex(Indexes.ascending("tenant")));
        Document again = db.runCommand(new Document("createIndexes", "c").append("indexes",
                List.of(new Document("key", new Document("tenant", 1.0)).append("name", "tenant_1"))));
        assertEquals("all indexes already exist", again.getString("note"));
        assertEquals(2, again.getInteger("numIndexesAfter"));
        c.createIndex(Indexes.ascending("_id"), new IndexOptions().name("_id_"));
        assertEquals(List.of(ID, index("tenant_1", new Document("tenant", 1))), indexes(c));

        // same name, other key
        MongoCommandException keyConflict = commandError(() ->
                c.createIndex(Indexes.descending("tenant"), new IndexOptions().name("tenant_1")));
        assertEquals(86, keyConflict.getErrorCode());
        assertEquals("IndexKeySpecsConflict", keyConflict.getErrorCodeName());
        // same name and key, other options
        MongoCommandException optionConflict = commandError(() ->
                c.createIndex(Indexes.ascending("tenant"), new IndexOptions().unique(true)));
        assertEquals(85, optionConflict.getErrorCode());
        assertEquals("IndexOptionsConflict", optionConflict.getErrorCodeName());
        // same key, other name
        MongoCommandException nameConflict = commandError(() ->
                c.createIndex(Indexes.ascending("tenant"), new IndexOptions().name("by_tenant")));
        assertEquals(85, nameConflict.getErrorCode());
        assertTrue(nameConflict.getErrorMessage().contains("Index already exists with a different name: tenant_1"),
                nameConflict.getErrorMessage());
        // same key with a partial filter is another index
        c.createIndex(Indexes.ascending("tenant"), new IndexOptions().name("tenant_active")
                .partialFilterExpression(Filters.eq("active", true)));
        // a request is all or nothing
        commandError(() -> db.runCommand(new Document("createIndexes", "c").append("indexes", List.of(
                new Document("key", new Document("x", 1)).append("name", "x_1"),
                new Document("key", new Document("y", 1)).append("name", "tenant_1")))));
        assertEquals(List.of("_id_", "tenant_1", "tenant_active"),
                indexes(c).stream().map(d -> d.getString("name")).toList());
    }

    @Test
    void invalidSpecificationsAreRefused() {
        MongoDatabase db = client.getDatabase("invalid");
        MongoCommandException ttlCompound = commandError(() -> db.getCollection("c").createIndex(
                Indexes.ascending("a", "b"), new IndexOptions().expireAfter(5L, TimeUnit.SECONDS)));
        assertEquals(67, ttlCompound.getErrorCode());
        MongoCommandException unknown = commandError(() -> db.runCommand(new Document("createIndexes", "c")
                .append("indexes", List.of(new Document("key", new Document("a", 1)).append("name", "a_1")
                        .append("bogus", 1)))));
        assertEquals(197, unknown.getErrorCode());
        MongoCommandException noName = commandError(() -> db.runCommand(new Document("createIndexes", "c")
                .append("indexes", List.of(new Document("key", new Document("a", 1))))));
        assertEquals(9, noName.getErrorCode());
        MongoCommandException emptyKey = commandError(() -> db.runCommand(new Document("createIndexes", "c")
                .append("indexes", List.of(new Document("key", new Document()).append("name", "e")))));
        assertEquals(67, emptyKey.getErrorCode());
        assertFalse(db.listCollectionNames().into(new ArrayList<>()).contains("c"), "nothing created");

        // a unique index over duplicates fails with 11000 and is not recorded
        MongoCollection<Document> d = db.getCollection("d");
        d.insertMany(List.of(new Document("k", 1), new Document("k", 1)));
        MongoException dup = assertThrows(MongoException.class,
                () -> d.createIndex(Indexes.ascending("k"), new IndexOptions().unique(true)));
        assertEquals(11000, dup.getCode());
        assertEquals(List.of(ID), indexes(d));
    }

    @Test
    void dropIndexesDropAndDropDatabaseForgetIndexes() {
        MongoDatabase db = client.getDatabase("drops");
        MongoCollection<Document> c = db.getCollection("c");
        c.createIndex(Indexes.ascending("a"));
        c.createIndex(Indexes.ascending("b"), new IndexOptions().unique(true));
        c.createIndex(Indexes.ascending("c"));
        c.createIndex(Indexes.ascending("d"));
        db.getCollection("other").createIndex(Indexes.ascending("a"));

        c.dropIndex("a_1");
        c.dropIndex(Indexes.ascending("c"));
        assertEquals(List.of("_id_", "b_1", "d_1"), indexes(c).stream().map(x -> x.getString("name")).toList());
        assertEquals(27, commandError(() -> c.dropIndex("nope")).getErrorCode());
        assertEquals(27, commandError(() -> c.dropIndex(Indexes.ascending("zzz"))).getErrorCode());
        assertEquals(72, commandError(() -> c.dropIndex("_id_")).getErrorCode());

        // the unique index left the library too: duplicates are fine now
        c.dropIndexes();
        assertEquals(List.of(ID), indexes(c));
        c.insertMany(List.of(new Document("b", 1), new Document("b", 1)));
        assertEquals(11000, assertThrows(MongoException.class, () -> c.createIndex(Indexes.ascending("b"),
                new IndexOptions().unique(true).sparse(true).name("b_again"))).getCode());
        assertEquals(List.of(ID), indexes(c), "failed unique index not recorded");
        c.createIndex(Indexes.ascending("e"));
        assertEquals(2, indexes(c).size());
        assertEquals(List.of(ID, index("a_1", new Document("a", 1))), indexes(db.getCollection("other")),
                "other collection untouched");

        // renameCollection takes its indexes along
        client.getDatabase("admin").runCommand(new Document("renameCollection", "drops.other")
                .append("to", "drops.renamed"));
        assertEquals(List.of(ID, index("a_1", new Document("a", 1))), indexes(db.getCollection("renamed")));

        // drop collection, then a new one of that name starts with _id_ only
        c.drop();
        assertEquals(List.of(), indexes(c), "the driver reads NamespaceNotFound as no indexes");
        MongoCommandException missing = commandError(() -> db.runCommand(new Document("listIndexes", "c")));
        assertEquals(26, missing.getErrorCode());
        c.insertOne(new Document("e", 1));
        assertEquals(List.of(ID), indexes(c));

        db.drop();
        db.getCollection("renamed").insertOne(new Document("a", 1));
        assertEquals(List.of(ID), indexes(db.getCollection("renamed")));
        assertEquals(26, commandError(() -> db.runCommand(new Document("dropIndexes", "none").append("index", "*")))
                .getErrorCode());
    }

    @Test
    void createIndexesIsRefusedUnlessPrimary() {
        try (StandinServer rs = new StandinServer(StandinConfig.localTest().withReplSet("rs0")).start();
             MongoClient c = client(rs)) {
            MongoCollection<Document> issuers = c.getDatabase("dive-v3-fra").getCollection("trusted_issuers");
            MongoCommandException e = commandError(() -> issuers.createIndex(Indexes.ascending("tenant")));
            assertEquals(10107, e.getErrorCode());
            assertEquals("NotWritablePrimary", e.getErrorCodeName());
            assertEquals(10107, commandError(() -> issuers.dropIndex("tenant_1")).getErrorCode());
        }
    }
}
