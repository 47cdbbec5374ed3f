package dive.verify.reference.mongodb;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * The index catalog of a real mongod: what {@code createIndexes} recorded, per
 * database.collection, as {@code listIndexes} returns it. mongo-java-server
 * enforces unique indexes but ignores every other kind (non-unique, TTL,
 * partial); this catalog records them all, in creation order, with their
 * options. It does not make queries faster and does not expire documents.
 *
 * <p>Unique indexes without a {@code partialFilterExpression} are still handed
 * to the library (through {@code libraryCreate}) so that duplicate keys fail
 * with 11000 as before; everything else lives here only.
 */
final class IndexCatalog {

    static final String ID_INDEX = "_id_";

    /** Fields a mongod accepts in an index specification (anything else: 197). */
    private static final Set<String> SPEC_FIELDS = Set.of(
            "key", "name", "v", "ns", "unique", "sparse", "background", "hidden", "expireAfterSeconds",
            "partialFilterExpression", "collation", "weights", "default_language", "language_override",
            "textIndexVersion", "2dsphereIndexVersion", "bits", "min", "max", "bucketSize", "storageEngine",
            "wildcardProjection", "dropDups", "clustered", "prepareUnique", "coarsestIndexedLevel",
            "finestIndexedLevel");

    private static final Set<String> KEY_PLUGINS = Set.of("text", "2d", "2dsphere", "2dsphere_bucket",
            "hashed", "geoHaystack", "columnstore");

    /** "db.coll" → index name → spec (v, key, name, options), in creation order; _id_ is implicit. */
    private final Map<String, LinkedHashMap<String, Document>> byNamespace = new LinkedHashMap<>();

    // ------------------------------------------------------------------ createIndexes

    /**
     * @param exists          whether the collection exists now
     * @param libraryCreate   (collection existed, specs for the library) → library answer; creates the
     *                        collection when it does not exist, also with an empty list
     */
    synchronized Document createIndexes(String db, String collection, Document query, boolean exists,
                                        boolean replicaSet, BiFunction<Boolean, List<Document>, Document> libraryCreate) {
        Object raw = query.get("indexes");
        if (raw == null) {
            throw new MongoServerError(40414, "IDLFailedToParse",
                    "BSON field 'createIndexes.indexes' is missing but a required field");
        }
        if (!(raw instanceof List<?> list)) {
            throw new MongoServerError(14, "TypeMismatch", "BSON field 'createIndexes.indexes' is the wrong type '"
                    + typeName(raw) + "', expected type 'array'");
        }
        if (list.isEmpty()) {
            throw new MongoServerError(2, "BadValue", "Must specify at least one index to create");
        }
        String ns = db + "." + collection;
        LinkedHashMap<String, Document> current = exists ? byNamespace.getOrDefault(ns, new LinkedHashMap<>())
                : new LinkedHashMap<>();
        int before = 1 + current.size();

        // validate all first: a mongod creates all requested indexes or none
        LinkedHashMap<String, Document> added = new LinkedHashMap<>();
        for (Object o : list) {
            if (!(o instanceof Document given)) {
                throw new MongoServerError(14, "TypeMismatch", "BSON field 'createIndexes.indexes' is the wrong type '"
                        + typeName(o) + "', expected type 'object'");
            }
            Document spec = normalize(given);
            Document existing = find(spec, current, added);
            if (existing == null) {
                added.put(spec.get("name").toString(), spec);
            }
        }
        if (added.isEmpty()) {
            Document r = new Document();
            r.put("numIndexesBefore", before);
            r.put("numIndexesAfter", before);
            r.put("note", "all indexes already exist");
            r.put("ok", 1.0);
            return r;
        }
        List<Document> forLibrary = new ArrayList<>();
        for (Document spec : added.values()) {
            if (isTrue(spec.get("unique")) && !spec.containsKey("partialFilterExpression")) {
                Document copy = new Document();
                copy.put("key", spec.get("key"));
                copy.put("name", spec.get("name"));
                copy.put("unique", Boolean.TRUE);
                if (isTrue(spec.get("sparse"))) {
                    copy.put("sparse", Boolean.TRUE);
                }
                forLibrary.add(copy);
            }
        }
        Document library = libraryCreate.apply(exists, forLibrary);
        if (library != null && !(library.get("ok") instanceof Number n && n.doubleValue() == 1.0)) {
            return library; // e.g. 11000 duplicate key: nothing recorded, as with a mongod
        }
        LinkedHashMap<String, Document> target = byNamespace.computeIfAbsent(ns, k -> new LinkedHashMap<>());
        if (!exists) {
            target.clear(); // left over from a collection dropped behind our back
        }
        target.putAll(added);
        for (Document spec : added.values()) {
            Log.info("index " + spec.get("name") + " " + render(spec.get("key")) + " created on " + ns);
        }
        Document r = new Document();
        r.put("numIndexesBefore", before);
        r.put("numIndexesAfter", 1 + target.size());
        if (replicaSet) {
            r.put("commitQuorum", "votingMembers");
        }
        r.put("createdCollectionAutomatically", !exists);
        r.put("ok", 1.0);
        return r;
    }

    /** The existing (or earlier in this request) index the spec duplicates, null if it is new; throws on conflicts. */
    private static Document find(Document spec, Map<String, Document> current, Map<String, Document> added) {
        List<Document> all = new ArrayList<>();
        all.add(idIndex());
        all.addAll(current.values());
        all.addAll(added.values());
        String name = spec.get("name").toString();
        for (Document other : all) {
            if (!name.equals(other.get("name"))) {
                continue;
            }
            if (!sameValue(spec.get("key"), other.get("key"))) {
                throw new MongoServerError(86, "IndexKeySpecsConflict", "An existing index has the same name as the "
                        + "requested index. When index names are not specified, they are auto generated and can "
                        + "cause conflicts. Please refer to our documentation. Requested index: " + render(spec)
                        + ", existing index: " + render(other));
            }
            if (!sameOptions(spec, other)) {
                throw new MongoServerError(85, "IndexOptionsConflict", "An equivalent index already exists with the "
                        + "same name but different options. Requested index: " + render(spec) + ", existing index: "
                        + render(other));
            }
            return other;
        }
        for (Document other : all) {
            if (sameValue(spec.get("key"), other.get("key"))
                    && sameValue(spec.get("partialFilterExpression"), other.get("partialFilterExpression"))
                    && sameValue(spec.get("collation"), other.get("collation"))) {
                if (sameOptions(spec, other)) {
                    throw new MongoServerError(85, "IndexOptionsConflict",
                            "Index already exists with a different name: " + other.get("name"));
                }
                throw new MongoServerError(85, "IndexOptionsConflict", "An equivalent index already exists with a "
                        + "different name and options. Requested index: " + render(spec) + ", existing index: "
                        + render(other));
            }
        }
        return null;
    }

    private static boolean sameOptions(Document a, Document b) {
        for (String flag : List.of("unique", "sparse", "hidden")) {
            if (isTrue(a.get(flag)) != isTrue(b.get(flag))) {
                return false;
            }
        }
        for (String field : List.of("expireAfterSeconds", "partialFilterExpression", "collation",
                "wildcardProjection", "weights", "default_language", "language_override")) {
            if (!sameValue(a.get(field), b.get(field))) {
                return false;
            }
        }
        return true;
    }

    /** v, key, name first (as a mongod lists them), then the other options as given; ns dropped. */
    private static Document normalize(Document given) {
        for (String field : given.keySet()) {
            if (!SPEC_FIELDS.contains(field)) {
                throw new MongoServerError(197, "InvalidIndexSpecificationOption", "The field '" + field
                        + "' is not valid for an index specification. Specification: " + render(given));
            }
        }
        Object key = given.get("key");
        if (key == null) {
            throw new MongoServerError(9, "FailedToParse",
                    "The 'key' field is a required property of an index specification");
        }
        if (!(key instanceof Document keyDoc)) {
            throw new MongoServerError(14, "TypeMismatch", "The field 'key' must be an object, but got "
                    + typeName(key));
        }
        Object name = given.get("name");
        if (name == null) {
            throw new MongoServerError(9, "FailedToParse",
                    "The 'name' field is a required property of an index specification");
        }
        if (!(name instanceof String nameString)) {
            throw new MongoServerError(14, "TypeMismatch", "The field 'name' must be a string, but got "
                    + typeName(name));
        }
        if (nameString.isEmpty() || nameString.equals("*")) {
            throw new MongoServerError(67, "CannotCreateIndex", "The index name '" + nameString + "' is not valid");
        }
        if (keyDoc.isEmpty()) {
            throw new MongoServerError(67, "CannotCreateIndex", "Index keys cannot be empty.");
        }
        for (Map.Entry<String, Object> e : keyDoc.entrySet()) {
            Object v = e.getValue();
            boolean ok = v instanceof Number n ? n.doubleValue() != 0 && !Double.isNaN(n.doubleValue())
                    : v instanceof String s && KEY_PLUGINS.contains(s);
            if (!ok) {
                throw new MongoServerError(67, "CannotCreateIndex", "Error in specification " + render(given)
                        + " :: caused by :: Values in the index key pattern can only be non-zero numbers or the "
                        + "names of index types, not " + render(v) + " (field '" + e.getKey() + "')");
            }
        }
        boolean idKey = keyDoc.keySet().equals(Set.of("_id"));
        if (given.containsKey("expireAfterSeconds")) {
            Object ttl = given.get("expireAfterSeconds");
            if (!(ttl instanceof Number n) || Double.isNaN(n.doubleValue()) || n.doubleValue() < 0) {
                throw new MongoServerError(67, "CannotCreateIndex", "Error in specification " + render(given)
                        + " :: caused by :: TTL index 'expireAfterSeconds' option must be a non-negative number, "
                        + "but received " + render(ttl));
            }
            if (idKey) {
                throw new MongoServerError(67, "CannotCreateIndex", "Error in specification " + render(given)
                        + " :: caused by :: The field 'expireAfterSeconds' is not valid for an _id index specification.");
            }
            if (keyDoc.size() > 1) {
                throw new MongoServerError(67, "CannotCreateIndex", "Error in specification " + render(given)
                        + " :: caused by :: TTL indexes are single-field indexes, compound indexes do not support TTL.");
            }
        }
        if (given.containsKey("partialFilterExpression") && !(given.get("partialFilterExpression") instanceof Document)) {
            throw new MongoServerError(67, "CannotCreateIndex", "Error in specification " + render(given)
                    + " :: caused by :: The field 'partialFilterExpression' must be an object");
        }
        if (given.containsKey("partialFilterExpression") && given.containsKey("sparse") && isTrue(given.get("sparse"))) {
            throw new MongoServerError(67, "CannotCreateIndex", "Error in specification " + render(given)
                    + " :: caused by :: cannot mix \"partialFilterExpression\" and \"sparse\" options");
        }
        Document spec = new Document();
        spec.put("v", given.get("v") instanceof Number v ? v : 2);
        spec.put("key", keyDoc);
        spec.put("name", nameString);
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (!Set.of("v", "key", "name", "ns").contains(e.getKey())) {
                spec.put(e.getKey(), e.getValue());
            }
        }
        return spec;
    }

    // ------------------------------------------------------------------ listIndexes

    synchronized Document listIndexes(String db, String collection) {
        List<Document> batch = new ArrayList<>();
        batch.add(idIndex());
        for (Document spec : byNamespace.getOrDefault(db + "." + collection, new LinkedHashMap<>()).values()) {
            batch.add(new Document(spec));
        }
        Document cursor = new Document();
        cursor.put("id", 0L);
        cursor.put("ns", db + ".$cmd.listIndexes." + collection);
        cursor.put("firstBatch", batch);
        Document r = new Document();
        r.put("cursor", cursor);
        r.put("ok", 1.0);
        return r;
    }

    // ------------------------------------------------------------------ dropIndexes

    /**
     * Which recorded indexes a dropIndexes removes (throws 27/72 as a mongod does); the caller drops the
     * unique ones in the library, then calls {@link #remove}.
     */
    synchronized List<Document> toDrop(String db, String collection, Object index) {
        LinkedHashMap<String, Document> current = byNamespace.getOrDefault(db + "." + collection, new LinkedHashMap<>());
        List<Document> out = new ArrayList<>();
        if (index == null) {
            throw new MongoServerError(40414, "IDLFailedToParse",
                    "BSON field 'dropIndexes.index' is missing but a required field");
        }
        if ("*".equals(index)) {
            out.addAll(current.values());
        } else if (index instanceof String name) {
            out.add(byName(current, name));
        } else if (index instanceof List<?> names) {
            Set<String> seen = new LinkedHashSet<>();
            for (Object n : names) {
                if (!(n instanceof String name)) {
                    throw new MongoServerError(14, "TypeMismatch", "dropIndexes: index names must be strings");
                }
                if (seen.add(name)) {
                    out.add(byName(current, name));
                }
            }
        } else if (index instanceof Document key) {
            if (sameValue(key, new Document("_id", 1))) {
                throw new MongoServerError(72, "InvalidOptions", "cannot drop _id index");
            }
            Document match = null;
            for (Document spec : current.values()) {
                if (sameValue(key, spec.get("key"))) {
                    if (match != null) {
                        throw new MongoServerError(86, "IndexKeySpecsConflict", "" + current.values().stream()
                                .filter(s -> sameValue(key, s.get("key"))).count() + " indexes found for key: "
                                + render(key) + ", identify by name instead.");
                    }
                    match = spec;
                }
            }
            if (match == null) {
                throw new MongoServerError(27, "IndexNotFound", "can't find index with key: " + render(key));
            }
            out.add(match);
        } else {
            throw new MongoServerError(14, "TypeMismatch", "BSON field 'dropIndexes.index' is the wrong type '"
                    + typeName(index) + "', expected types '[string, object, array]'");
        }
        return out;
    }

    private static Document byName(Map<String, Document> current, String name) {
        if (name.equals(ID_INDEX)) {
            throw new MongoServerError(72, "InvalidOptions", "cannot drop _id index");
        }
        Document spec = current.get(name);
        if (spec == null) {
            throw new MongoServerError(27, "IndexNotFound", "index not found with name [" + name + "]");
        }
        return spec;
    }

    synchronized int count(String db, String collection) {
        return 1 + byNamespace.getOrDefault(db + "." + collection, new LinkedHashMap<>()).size();
    }

    synchronized void remove(String db, String collection, List<Document> specs) {
        LinkedHashMap<String, Document> current = byNamespace.get(db + "." + collection);
        if (current != null) {
            for (Document spec : specs) {
                current.remove(spec.get("name").toString());
            }
            if (current.isEmpty()) {
                byNamespace.remove(db + "." + collection);
            }
        }
    }

    /** Whether the library holds this index (a unique one without a partial filter). */
    static boolean inLibrary(Document spec) {
        return isTrue(spec.get("unique")) && !spec.containsKey("partialFilterExpression");
    }

    // ------------------------------------------------------------------ drop / dropDatabase / rename

    synchronized void dropCollection(String db, String collection) {
        byNamespace.remove(db + "." + collection);
    }

    synchronized void dropDatabase(String db) {
        byNamespace.keySet().removeIf(ns -> ns.startsWith(db + "."));
    }

    synchronized void rename(String fromNs, String toNs) {
        LinkedHashMap<String, Document> moved = byNamespace.remove(fromNs);
        byNamespace.remove(toNs);
        if (moved != null) {
            byNamespace.put(toNs, moved);
        }
    }

    // ------------------------------------------------------------------ helpers

    static Document idIndex() {
        Document d = new Document();
        d.put("v", 2);
        d.put("key", new Document("_id", 1));
        d.put("name", ID_INDEX);
        return d;
    }

    private static boolean isTrue(Object o) {
        if (o instanceof Boolean b) {
            return b;
        }
        return o instanceof Number n && n.doubleValue() != 0;
    }

    /** BSON value equality as a mongod compares index specs: ordered fields, numbers by value. */
    static boolean sameValue(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<? extends Map.Entry<?, ?>> i = x.entrySet().iterator();
            Iterator<? extends Map.Entry<?, ?>> j = y.entrySet().iterator();
            while (i.hasNext()) {
                Map.Entry<?, ?> e = i.next();
                Map.Entry<?, ?> f = j.next();
                if (!e.getKey().equals(f.getKey()) || !sameValue(e.getValue(), f.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int k = 0; k < x.size(); k++) {
                if (!sameValue(x.get(k), y.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** A value as a mongod prints it in messages: { v: 2, key: { tenant: 1 }, name: "tenant_1" }. */
    static String render(Object o) {
        if (o instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                return "{}";
            }
            StringBuilder b = new StringBuilder("{ ");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                b.append(e.getKey()).append(": ").append(render(e.getValue()));
            }
            return b.append(" }").toString();
        }
        if (o instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[ ");
            for (int k = 0; k < l.size(); k++) {
                b.append(k == 0 ? "" : ", ").append(render(l.get(k)));
            }
            return b.append(l.isEmpty() ? "]" : " ]").toString();
        }
        if (o instanceof String s) {
            return "\"" + s + "\"";
        }
        return String.valueOf(o);
    }

    private static String typeName(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Map) {
            return "object";
        }
        if (o instanceof List) {
            return "array";
        }
        if (o instanceof String) {
            return "string";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof Integer) {
            return "int";
        }
        if (o instanceof Long) {
            return "long";
        }
        if (o instanceof Double) {
            return "double";
        }
        return o.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}
