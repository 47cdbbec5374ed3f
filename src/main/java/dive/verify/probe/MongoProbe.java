package dive.verify.probe;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Replica-set facts and a real write through mongodb-driver-sync, connected
 * directly to one node from the host (the replica set's advertised host names
 * are container aliases, unreachable from here).
 */
public final class MongoProbe implements AutoCloseable {
    private final MongoClient client;
    private final String where;

    public MongoProbe(String host, int port, String user, String password) {
        this.where = host + ":" + port;
        String auth = user == null ? "" : java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8) + ":"
                + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8) + "@";
        ConnectionString cs = new ConnectionString("mongodb://" + auth + host + ":" + port + "/?authSource=admin&directConnection=true");
        MongoClientSettings settings = MongoClientSettings.builder().applyConnectionString(cs)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(5, TimeUnit.SECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(5, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS))
                .build();
        this.client = MongoClients.create(settings);
    }

    /** {@code replSetGetStatus.myState}; 1 is PRIMARY. */
    public Evidence replicaState() {
        String what = "replSetGetStatus at " + where;
        try {
            Document d = client.getDatabase("admin").runCommand(new Document("replSetGetStatus", 1));
            Object state = d.get("myState");
            String seen = "set " + d.get("set") + ", myState " + state;
            return Integer.valueOf(1).equals(state) ? Evidence.ok(what, seen) : Evidence.failed(what, seen + " (1 = PRIMARY expected)");
        } catch (Exception e) {
            return Evidence.failed(what, Evidence.message(e));
        }
    }

    /** {@code hello.isWritablePrimary}. */
    public Evidence writablePrimary() {
        String what = "hello at " + where;
        try {
            Document d = client.getDatabase("admin").runCommand(new Document("hello", 1));
            String seen = "isWritablePrimary " + d.get("isWritablePrimary") + ", setName " + d.get("setName");
            return Boolean.TRUE.equals(d.get("isWritablePrimary")) ? Evidence.ok(what, seen) : Evidence.failed(what, seen);
        } catch (Exception e) {
            return Evidence.failed(what, Evidence.message(e));
        }
    }

    /** Inserts a document and reads it back. */
    public Evidence write(String database, String collection) {
        String what = "insert into " + database + "." + collection + " at " + where;
        try {
            String marker = "probe-" + System.nanoTime();
            var c = client.getDatabase(database).getCollection(collection);
            c.insertOne(new Document("_id", marker).append("by", "dive-verify"));
            long n = c.countDocuments(new Document("_id", marker));
            return n == 1 ? Evidence.ok(what, "inserted and read back " + marker) : Evidence.failed(what, "read back " + n + " documents");
        } catch (Exception e) {
            return Evidence.failed(what, Evidence.message(e));
        }
    }

    /** Documents of a collection with {@code field == value}. */
    public Evidence find(String database, String collection, String field, String value) {
        String what = database + "." + collection + " where " + field + " = " + value;
        try {
            long n = client.getDatabase(database).getCollection(collection).countDocuments(new Document(field, value));
            return n > 0 ? Evidence.ok(what, n + " document(s)") : Evidence.failed(what, "no such document");
        } catch (Exception e) {
            return Evidence.failed(what, Evidence.message(e));
        }
    }

    /**
     * The indexes of a collection, in the order {@code listIndexes} gives them
     * (empty when the collection does not exist). Errors are the driver's own.
     */
    public List<IndexInfo> indexes(String database, String collection) {
        List<IndexInfo> out = new ArrayList<>();
        for (Document d : client.getDatabase(database).getCollection(collection).listIndexes()) out.add(IndexInfo.of(d));
        return out;
    }

    /** Steps the node down (fault injection). */
    public Evidence stepDown(int seconds) {
        String what = "replSetStepDown " + seconds + " s at " + where;
        try {
            client.getDatabase("admin").runCommand(new Document("replSetStepDown", seconds).append("force", true));
            return Evidence.ok(what, "stepped down");
        } catch (Exception e) {
            // a real mongod closes connections on step-down; that is success too
            String m = Evidence.message(e);
            return m.contains("closed") || m.contains("reset") ? Evidence.ok(what, m) : Evidence.failed(what, m);
        }
    }

    /**
     * Sets one field of the single document with {@code key == keyValue} (fault injection) and returns the value it had
     * (null when it had none). Fails when there is no such document: a fault that changed nothing would prove nothing.
     */
    public Object setField(String database, String collection, String key, String keyValue, String field, Object value) {
        var c = client.getDatabase(database).getCollection(collection);
        Document before = c.find(new Document(key, keyValue)).first();
        if (before == null) throw new IllegalStateException(database + "." + collection + " at " + where + " has no document with " + key + " = " + keyValue);
        c.updateOne(new Document(key, keyValue), new Document("$set", new Document(field, value)));
        return before.get(field);
    }

    @Override
    public void close() { client.close(); }
}
