package dive.verify.sso;

import dive.verify.http.Http;

import com.fasterxml.jackson.databind.JsonNode;
import dive.verify.federation.KeycloakAdmin;
import dive.verify.poll.Poll;
import dive.verify.probe.Evidence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the hub records about its spokes (registration, heartbeats) and what
 * both sides' realms hold (the identity providers of the brokering), read
 * from their APIs; and the status view an operator reads.
 */
public final class FederationRecords {
    private FederationRecords() {}

    /** The hub's record of each spoke, by instance code. */
    static Map<String, JsonNode> spokesAtHub(Site hub) {
        Http.Answer a = Http.get(hub.backendUrl() + "/api/federation/spokes", null);
        if (a.status() != 200 || a.json() == null || !a.json().isArray()) {
            throw new IllegalStateException("GET /api/federation/spokes at the hub: " + a.describe());
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode s : a.json()) out.put(s.path("instanceCode").asText(), s);
        return out;
    }

    public static Evidence approved(Federation f, List<String> codes) {
        String what = "the hub lists spokes " + codes + " as approved";
        return withSpokesAtHub(f, what, at -> approved(what, at, codes));
    }

    static Evidence approved(String what, Map<String, JsonNode> at, List<String> codes) {
        return judgeEach(what, at, codes, (c, rec) -> {
            String status = rec == null ? "not listed" : rec.path("status").asText();
            return new Finding(c + ": " + status, "approved".equals(status));
        });
    }

    /** What the hub's record of one spoke shows, and whether that is what the check asks for. */
    private record Finding(String seen, boolean ok) {}

    /** Reads the hub's records of its spokes, or fails the check with why they could not be read. */
    private static Evidence withSpokesAtHub(Federation f, String what, Function<Map<String, JsonNode>, Evidence> check) {
        Map<String, JsonNode> at;
        try {
            at = spokesAtHub(f.hub());
        } catch (IllegalStateException e) {
            return Evidence.failed(what, e.getMessage());
        }
        return check.apply(at);
    }

    /**
     * Judges the hub's record of each spoke (null when it has none); the check holds when it holds for every one.
     * A failure names the spokes it does not hold for first: "not for GBR (FRA: …, GBR: …)".
     */
    private static Evidence judgeEach(String what, Map<String, JsonNode> at, List<String> codes,
                                      BiFunction<String, JsonNode, Finding> judge) {
        List<String> seen = new ArrayList<>();
        List<String> failing = new ArrayList<>();
        for (String c : codes) {
            Finding one = judge.apply(c, at.get(c));
            seen.add(one.seen());
            if (!one.ok()) failing.add(c);
        }
        String all = String.join(", ", seen);
        return failing.isEmpty() ? Evidence.ok(what, all)
                : Evidence.failed(what, "not for " + String.join(" and ", failing) + " (" + all + ")");
    }

    /** An identity provider of a realm exists and is enabled. */
    static String idpState(KeycloakAdmin admin, String realm, String alias) {
        Map<String, Object> idp = admin.identityProvider(realm, alias);
        if (idp == null) return "missing";
        return Boolean.TRUE.equals(idp.get("enabled")) ? "enabled" : "disabled";
    }

    /** The hub realm brokers to each spoke, and each spoke realm to the hub. */
    public static Evidence brokeredBothWays(Federation f, List<String> codes) {
        String what = "the hub realm has identity providers for " + codes + " and each spoke realm has " + f.hub().idpAlias();
        KeycloakAdmin hubAdmin = KeycloakAdmin.login(f.hub().keycloakUrl(), f.hub().adminPassword());
        List<String> seen = new ArrayList<>();
        boolean ok = true;
        for (String c : codes) {
            Site s = f.spoke(c);
            String atHub = idpState(hubAdmin, f.hub().realm(), s.idpAlias());
            String atSpoke = idpState(KeycloakAdmin.login(s.keycloakUrl(), s.adminPassword()), s.realm(), f.hub().idpAlias());
            seen.add(f.hub().realm() + "/" + s.idpAlias() + " " + atHub + ", " + s.realm() + "/" + f.hub().idpAlias() + " " + atSpoke);
            ok &= atHub.equals("enabled") && atSpoke.equals("enabled");
        }
        return ok ? Evidence.ok(what, String.join("; ", seen)) : Evidence.failed(what, String.join("; ", seen));
    }

    /** Each spoke's last heartbeat at the hub is at most {@code window} old. */
    public static Evidence recentHeartbeats(Federation f, List<String> codes, Duration window) {
        String what = "the hub recorded a heartbeat from each of " + codes + " within the last " + window.toSeconds() + " s";
        return withSpokesAtHub(f, what, at -> recentHeartbeats(what, at, codes, window, Instant.now()));
    }

    static Evidence recentHeartbeats(String what, Map<String, JsonNode> at, List<String> codes, Duration window, Instant now) {
        return judgeEach(what, at, codes, (c, rec) -> {
            Instant last = lastHeartbeat(rec);
            Duration age = last == null ? null : Duration.between(last, now);
            return new Finding(c + ": " + (age == null ? "never" : age.toMillis() / 1000.0 + " s ago"), age != null && age.compareTo(window) <= 0);
        });
    }

    /** Waits until the hub has recorded a heartbeat from every spoke of the federation: a spoke has joined once it beats. */
    public static void awaitFirstHeartbeats(Federation f, Duration within) {
        List<String> codes = List.copyOf(f.spokes().keySet());
        var seen = Poll.until(within, Duration.ofMillis(500), () -> spokesAtHub(f.hub()),
                at -> codes.stream().allMatch(c -> lastHeartbeat(at.get(c)) != null));
        if (!seen.done()) {
            throw new IllegalStateException("the hub recorded no heartbeat from "
                    + codes.stream().filter(c -> lastHeartbeat(seen.last().get(c)) == null).toList() + " within " + within.toSeconds() + " s");
        }
    }

    /**
     * Waits until the hub's record of the last heartbeat from {@code code} is what {@code done} asks for (null: never
     * beat); fails naming what it asked for ({@code wanted}) and the last heartbeat it saw.
     */
    public static void awaitLastHeartbeat(Federation f, String code, Duration within, String wanted, Predicate<Instant> done) {
        var seen = Poll.until(within, Duration.ofMillis(500), () -> lastHeartbeat(spokesAtHub(f.hub()).get(code)), done);
        if (!seen.done()) {
            throw new IllegalStateException("the hub's last heartbeat from " + code + " was not " + wanted + " within "
                    + within.toSeconds() + " s (last seen: " + seen.last() + ")");
        }
    }

    static Instant lastHeartbeat(JsonNode spoke) {
        String hb = spoke == null ? null : spoke.path("lastHeartbeat").asText(null);
        if (hb == null || hb.isBlank() || hb.equals("null")) return null;
        try {
            return Instant.parse(hb);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** One spoke's line of the status view. */
    public record Link(String code, String registration, boolean active, boolean bidirectional, String detail) {
        public String line() {
            return String.format("%-4s %-10s %-8s %-15s %s", code, registration, active ? "active" : "inactive",
                    bidirectional ? "bidirectional" : "one-way", detail);
        }
    }

    /**
     * The status view: registration as the hub records it, active when the
     * last heartbeat is no older than three heartbeat intervals (15 s), and
     * bidirectional when the hub records it so and both realms really broker to
 * each other with enabled IdPs (the hub alone cannot see the spoke's side).
     */
    public static List<Link> statusView(Federation f, List<String> codes) {
        Map<String, JsonNode> at = spokesAtHub(f.hub());
        KeycloakAdmin hubAdmin = KeycloakAdmin.login(f.hub().keycloakUrl(), f.hub().adminPassword());
        List<Link> out = new ArrayList<>();
        for (String c : codes) {
            Site s = f.spoke(c);
            JsonNode rec = at.get(c);
            Instant last = lastHeartbeat(rec);
            boolean active = last != null && Duration.between(last, Instant.now()).compareTo(Duration.ofSeconds(15)) <= 0;
            String atHub = idpState(hubAdmin, f.hub().realm(), s.idpAlias());
            String atSpoke = idpState(KeycloakAdmin.login(s.keycloakUrl(), s.adminPassword()), s.realm(), f.hub().idpAlias());
            out.add(new Link(c, rec == null ? "unknown" : rec.path("status").asText(), active,
                    rec != null && rec.path("bidirectional").asBoolean(false) && atHub.equals("enabled") && atSpoke.equals("enabled"),
                    "hub record: bidirectional " + (rec == null ? "-" : rec.path("bidirectional").asText()) + "; last heartbeat " + (last == null ? "never" : last) + "; " + s.idpAlias() + " at the hub " + atHub + ", "
                            + f.hub().idpAlias() + " at " + c + " " + atSpoke));
        }
        return out;
    }

    public static Evidence approvedActiveBidirectional(List<Link> view) {
        String what = "the status of " + view.stream().map(Link::code).toList() + " reads approved, active and bidirectional";
        boolean ok = !view.isEmpty() && view.stream().allMatch(l -> l.registration().equals("approved") && l.active() && l.bidirectional());
        String seen = String.join(" | ", view.stream().map(Link::line).toList());
        return ok ? Evidence.ok(what, seen) : Evidence.failed(what, seen);
    }
}
