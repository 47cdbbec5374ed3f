package dive.verify.check;

import dive.verify.probe.Evidence;
import dive.verify.probe.IndexInfo;
import dive.verify.probe.SqlProbe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The judging half of {@link DeploymentChecks}: pure functions from what a
 * probe observed to a verdict, so each can be shown to fail without a
 * container (unit tests) as well as against a broken deployment (features).
 */
public final class Verdicts {
    private Verdicts() {}

    /**
     * An index on exactly {@code [field]} (unique if asked) among {@code indexes}.
     * A compound index that merely starts with, or contains, the field does not count.
     */
    public static Evidence index(String database, String collection, String field, boolean unique, List<IndexInfo> indexes) {
        String what = (unique ? "unique index" : "index") + " on " + field + " of " + database + "." + collection;
        if (indexes.isEmpty()) return Evidence.failed(what, "no indexes (collection missing?)");
        List<String> wanted = List.of(field);
        for (IndexInfo ix : indexes) {
            if (ix.isOn(wanted) && (!unique || ix.unique())) return Evidence.ok(what, "index " + ix + "; all: " + indexes);
        }
        String why;
        IndexInfo single = indexes.stream().filter(ix -> ix.isOn(wanted)).findFirst().orElse(null);
        IndexInfo compound = indexes.stream().filter(ix -> ix.keys().contains(field)).findFirst().orElse(null);
        if (single != null) why = "index " + single.name() + " on " + wanted + " is not unique";
        else if (compound != null) why = field + " is only part of compound index " + compound + ", not an index on " + wanted + " alone";
        else why = "no index on " + wanted;
        return Evidence.failed(what, why + "; all: " + indexes);
    }

    /** At least one audit row, read from the answer to a {@code count(*)} query. */
    public static Evidence auditRows(String resourceId, Evidence countQuery) {
        if (!countQuery.ok()) return countQuery;
        String n = SqlProbe.scalar(countQuery);
        long rows;
        try {
            rows = n == null ? 0 : Long.parseLong(n.strip());
        } catch (NumberFormatException e) {
            return Evidence.failed("audit rows for " + resourceId + " in dive_v3.audit_log", "not a count: " + n);
        }
        return new Evidence(rows > 0, "audit rows for " + resourceId + " in dive_v3.audit_log", rows + " row(s)");
    }

    /**
     * Every expected service has a container, and it is healthy (or running,
     * when it has no healthcheck). {@code existing}: service → container state
     * as the engine reports it; {@code stages}: service → deployment stage of the
     * template (absent when the template has no such service; 0 when it is in no stage).
     */
    public static Evidence servicesHealthy(List<String> expectedKeys, Map<String, String> existing,
                                           Map<String, Integer> stages, Function<String, String> health) {
        String what = "services " + expectedKeys + " exist and are healthy";
        List<String> missing = new ArrayList<>();
        List<String> unhealthy = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (String key : expectedKeys) {
            if (!existing.containsKey(key)) {
                Integer stage = stages.get(key);
                missing.add(key + (stage == null ? " (not in the template)" : stage <= 0 ? " (in the template, but in no deployment stage)" : " (never created)"));
                continue;
            }
            String h = health.apply(key);
            seen.put(key, h);
            if (!h.equals("healthy") && !h.equals("running (no healthcheck)")) unhealthy.add(key + ": " + h);
        }
        if (missing.isEmpty() && unhealthy.isEmpty()) return Evidence.ok(what, seen.toString());
        // what is wrong on the first line (a report shows it first), the context below
        List<String> wrong = new ArrayList<>();
        if (!missing.isEmpty()) wrong.add("missing containers: " + missing + ".");
        if (!unhealthy.isEmpty()) wrong.add("not healthy: " + unhealthy + ".");
        return Evidence.failed(what, String.join(" ", wrong) + "\nContainers that exist: " + existing);
    }

    /** The probe policy's two decisions: allow for the higher clearance, deny for the lower. */
    public static Evidence allowThenDeny(String what, Evidence allow, Evidence deny) {
        boolean ok = allow.ok() && deny.ok() && allow.observed().equals("result true") && deny.observed().equals("result false");
        return new Evidence(ok, what, "allow case: " + allow.observed() + "; deny case: " + deny.observed());
    }
}
