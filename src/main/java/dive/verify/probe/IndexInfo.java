package dive.verify.probe;

import org.bson.Document;

import java.util.List;

/**
 * One index of a MongoDB collection as {@code listIndexes} reports it: its
 * name, the names of its key fields in key order, and whether it is unique.
 * A check compares these values; it never matches on a rendered string, so
 * a compound index {issuerUrl:1, tenant:1} is not taken for an index on
 * issuerUrl alone.
 */
public record IndexInfo(String name, List<String> keys, boolean unique) {
    public IndexInfo {
        keys = List.copyOf(keys);
    }

    /** From one document of a {@code listIndexes} cursor. */
    public static IndexInfo of(Document spec) {
        Document key = spec.get("key", Document.class);
        List<String> fields = key == null ? List.of() : List.copyOf(key.keySet());
        return new IndexInfo(spec.getString("name"), fields, Boolean.TRUE.equals(spec.get("unique")));
    }

    /** Exactly these fields, in this order: a compound index is not an index on its first field. */
    public boolean isOn(List<String> fields) { return keys.equals(fields); }

    @Override
    public String toString() { return name + " " + keys + (unique ? " unique" : ""); }
}
