package dive.reference.backend;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Collections, indexes, seeding and the writable-primary probe against an in-memory MongoDB. */
class MongoIntegrationTest {
    static MongoServer server;
    static String url;

    @BeforeAll
    static void start() {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress a = server.bind();
        url = "mongodb://127.0.0.1:" + a.getPort();
    }

    @AfterAll
    static void stop() {
        server.shutdownNow();
    }

    @Test
    void hubCollectionsIndexesSeedAndHealth() throws Exception {
        CapturingEvents ev = new CapturingEvents();
        Config c = Config.from(Map.of("INSTANCE_CODE", "USA", "DIVE_MODE", "hub", "MONGODB_URL", url,
                "MONGODB_DATABASE", "dive-v3-test-hub"));
        try (MongoStore store = new MongoStore(c, ev, ms -> {})) {
            store.connect();
            assertTrue(store.initCollections(), ev.lines.toString());
            store.seedResources();
            store.seedResources(); // second time: nothing inserted
            MongoDatabase db = store.database();
            Set<String> names = new HashSet<>();
            db.listCollectionNames().into(names);
            assertTrue(names.containsAll(List.of("trusted_issuers", "federation_matrix", "tenant_configs", "kas_registry",
                    "federation_spokes", "federation_tokens", "resources")), names.toString());
            List<Document> idx = new ArrayList<>();
            db.getCollection("trusted_issuers").listIndexes().into(idx);
            assertTrue(idx.stream().anyMatch(i -> i.get("key", Document.class).containsKey("issuerUrl")
                    && Boolean.TRUE.equals(i.get("unique"))), idx.toString());
            assertEquals(8, store.resources().size());
            assertEquals("SECRET", store.resource("doc-USA-003").get("classification"));
            assertNull(store.resource("nope"));
            MongoStore.Health h = store.health();
            assertEquals("up", h.status(), h.toString());
            assertTrue(h.primary());
            assertTrue(h.writable());
        }
        assertTrue(ev.level("INFO").contains("MongoDB indexes created successfully"));
        assertTrue(ev.level("ERROR").isEmpty(), ev.lines.toString());
        // no KAS_MASTER_KEY: seeded once without payloads, one warning
        assertEquals(List.of("KAS_MASTER_KEY not set - resources are seeded without encrypted payloads"), ev.level("WARN"));
    }

    @Test
    void connectRetriesAreLoggedAndGiveUp() {
        CapturingEvents ev = new CapturingEvents();
        List<Long> slept = new ArrayList<>();
        Config c = Config.from(Map.of("MONGODB_URL", "mongodb://127.0.0.1:1", "MONGO_SERVER_SELECTION_TIMEOUT_MS", "50"));
        try (MongoStore store = new MongoStore(c, ev, slept::add)) {
            assertThrows(Exception.class, store::connect);
        }
        assertEquals(Retry.growing(15, 1000, 1.5, 10_000), slept);
        assertEquals(14, ev.level("WARN").size());
        assertTrue(ev.level("WARN").get(0).startsWith("MongoDB connection attempt 1/15 failed"), ev.lines.get(0));
        assertEquals(List.of("Failed to connect to MongoDB after 15 attempts"),
                ev.level("ERROR").stream().map(l -> l.substring(0, l.indexOf(':'))).toList());
    }
}
