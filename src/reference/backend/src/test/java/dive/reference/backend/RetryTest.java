package dive.reference.backend;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class RetryTest {

    static MongoCommandException notWritablePrimary() {
        BsonDocument response = new BsonDocument("ok", new BsonInt32(0))
                .append("code", new BsonInt32(10107))
                .append("codeName", new BsonString("NotWritablePrimary"))
                .append("errmsg", new BsonString("not primary"));
        return new MongoCommandException(response, new ServerAddress("mongodb-fra", 27017));
    }

    static Config config(long retryBase) {
        return Config.from(Map.of("INSTANCE_CODE", "FRA", "MONGO_RETRY_BASE_MS", Long.toString(retryBase)));
    }

    @Test
    void connectionScheduleIs15AttemptsFrom1sTimes1Point5CappedAt10s() {
        assertEquals(List.of(1000L, 1500L, 2250L, 3375L, 5062L, 7593L, 10000L, 10000L, 10000L, 10000L, 10000L,
                10000L, 10000L, 10000L), Retry.growing(15, 1000, 1.5, 10_000));
    }

    @Test
    void notPrimaryScheduleIs2to32Seconds() {
        assertEquals(List.of(2000L, 4000L, 8000L, 16000L, 32000L), Retry.doubling(5, 2000));
        assertEquals(2000, Config.from(Map.of()).mongoRetryBaseMs(), "default base stays 2000 ms");
    }

    @Test
    void indexCreationGivesUpAfterFiveNotPrimaryRetriesWithTheExactLines() {
        CapturingEvents ev = new CapturingEvents();
        List<Long> slept = new ArrayList<>();
        MongoStore store = new MongoStore(config(2000), ev, slept::add);
        AtomicInteger tries = new AtomicInteger();
        boolean ok = store.initCollections(() -> {
            tries.incrementAndGet();
            throw notWritablePrimary();
        });
        assertFalse(ok);
        assertEquals(6, tries.get(), "first try plus 5 retries");
        assertEquals(List.of(2000L, 4000L, 8000L, 16000L, 32000L), slept);
        assertEquals(List.of(
                "MongoDB not PRIMARY yet (attempt 1/5), retrying in 2000ms...",
                "MongoDB not PRIMARY yet (attempt 2/5), retrying in 4000ms...",
                "MongoDB not PRIMARY yet (attempt 3/5), retrying in 8000ms...",
                "MongoDB not PRIMARY yet (attempt 4/5), retrying in 16000ms...",
                "MongoDB not PRIMARY yet (attempt 5/5), retrying in 32000ms..."), ev.level("WARN"));
        assertEquals(List.of("Failed to create MongoDB indexes: replica set not PRIMARY after retries"), ev.level("ERROR"));
    }

    @Test
    void indexCreationSucceedsOnceThePrimaryIsElected() {
        CapturingEvents ev = new CapturingEvents();
        List<Long> slept = new ArrayList<>();
        MongoStore store = new MongoStore(config(10), ev, slept::add);
        AtomicInteger tries = new AtomicInteger();
        assertTrue(store.initCollections(() -> {
            if (tries.incrementAndGet() <= 2) {
                throw notWritablePrimary();
            }
            return null;
        }));
        assertEquals(List.of(10L, 20L), slept, "base configurable for tests");
        assertEquals(List.of("MongoDB not PRIMARY yet (attempt 1/5), retrying in 10ms...",
                "MongoDB not PRIMARY yet (attempt 2/5), retrying in 20ms..."), ev.level("WARN"));
        assertEquals(List.of("MongoDB indexes created successfully"), ev.level("INFO"));
        assertTrue(ev.level("ERROR").isEmpty());
    }

    @Test
    void otherErrorsAreNotRetried() {
        CapturingEvents ev = new CapturingEvents();
        List<Long> slept = new ArrayList<>();
        MongoStore store = new MongoStore(config(2000), ev, slept::add);
        assertFalse(store.initCollections(() -> {
            throw new IllegalStateException("boom");
        }));
        assertTrue(slept.isEmpty());
        assertEquals(List.of("Failed to create MongoDB indexes: boom"), ev.level("ERROR"));
    }

    @Test
    void notPrimaryDetection() {
        assertTrue(MongoStore.isNotPrimary(notWritablePrimary()));
        assertTrue(MongoStore.isNotPrimary(new RuntimeException("MongoServerError: not primary")));
        assertFalse(MongoStore.isNotPrimary(new RuntimeException("duplicate key")));
    }

    @Test
    void writeFailuresThatMentionNotPrimaryAreLoggedWithThatText() {
        CapturingEvents ev = new CapturingEvents();
        new MongoStore(config(1), ev, ms -> {}).logWriteFailure("resource seeding", notWritablePrimary());
        assertEquals(1, ev.level("ERROR").size());
        assertTrue(ev.level("ERROR").get(0).contains("not primary"));
    }

    @Test
    void runnerTriesDelaysPlusOneTimes() throws Exception {
        List<Long> slept = new ArrayList<>();
        List<Integer> attempts = new ArrayList<>();
        AtomicInteger tries = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> Retry.run(Retry.growing(15, 1000, 1.5, 10_000), e -> true, () -> {
            tries.incrementAndGet();
            throw new IllegalStateException("down");
        }, (a, d, e) -> attempts.add(a), slept::add));
        assertEquals(15, tries.get());
        assertEquals(14, slept.size());
        assertEquals(1, attempts.get(0));
        assertEquals(14, attempts.get(13));
        assertEquals("MongoDB connection attempt 3/15 failed (timeout), retrying in 2250ms...",
                Messages.connectRetry(3, 15, 2250, "timeout"));
    }
}
