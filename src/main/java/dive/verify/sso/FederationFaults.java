package dive.verify.sso;

import dive.verify.http.Http;

import com.fasterxml.jackson.databind.JsonNode;
import dive.verify.check.Contract;
import dive.verify.check.DeploymentChecks;
import dive.verify.deploy.Docker;
import dive.verify.federation.KeycloakAdmin;
import dive.verify.instance.PolicyRepository;
import dive.verify.poll.Poll;
import dive.verify.probe.MongoProbe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Deliberate faults in a running federation, for the negative scenarios.
 * Each one returns the action that undoes it; the scenario runs it at its end.
 */
public final class FederationFaults {
    private FederationFaults() {}

    private static KeycloakAdmin admin(Site s) { return KeycloakAdmin.login(s.keycloakUrl(), s.adminPassword()); }

    /** An identity provider loses one attribute mapper; the users it brokered are deleted so the next login imports anew. */
    public static Runnable removeIdpMapper(Site at, String alias, String mapper) {
        KeycloakAdmin a = admin(at);
        Map<String, Object> removed = a.removeIdpMapper(at.realm(), alias, mapper);
        a.deleteUsersBrokeredBy(at.realm(), alias);
        return () -> {
            KeycloakAdmin b = admin(at);
            b.addIdpMapper(at.realm(), alias, removed);
            // users imported without the attribute must not outlive the fault
            b.deleteUsersBrokeredBy(at.realm(), alias);
        };
    }

    public static Runnable disableIdp(Site at, String alias) {
        admin(at).setIdentityProviderEnabled(at.realm(), alias, false);
        return () -> admin(at).setIdentityProviderEnabled(at.realm(), alias, true);
    }

    /** The realm's client stops offering a client scope (so a request for it is refused). */
    public static Runnable withoutClientScope(Site at, String scope) {
        admin(at).setDefaultClientScope(at.realm(), at.clientId(), scope, false);
        return () -> admin(at).setDefaultClientScope(at.realm(), at.clientId(), scope, true);
    }

    /** The OPA of a site holds the trusted issuers without one of them (as if OPAL had delivered such a list). */
    public static Runnable trustedIssuersWithout(Site opaOf, String issuer) {
        String url = opaOf.opaUrl() + "/v1/data/federation/trusted_issuers";
        Http.Answer now = Http.get(url, null);
        JsonNode result = now.json() == null ? null : now.json().get("result");
        if (now.status() != 200 || result == null || !result.isArray()) {
            throw new IllegalStateException("the OPA of " + opaOf.code() + " holds no trusted issuers to change: " + now.describe());
        }
        List<String> before = new ArrayList<>();
        result.forEach(n -> before.add(n.asText()));
        if (!before.contains(issuer)) throw new IllegalStateException("the OPA of " + opaOf.code() + " does not trust " + issuer + " to begin with: " + before);
        List<String> without = new ArrayList<>(before);
        without.remove(issuer);
        expect(Http.putJson(url, without), "writing trusted issuers into the OPA of " + opaOf.code());
        return () -> expect(Http.putJson(url, before), "restoring the trusted issuers of the OPA of " + opaOf.code());
    }

    /**
     * The hub's record of a spoke reads another status (as a suspension would leave it), written into the hub's
     * MongoDB; the undo writes back the status it had. While it lasts the hub also refuses the spoke's heartbeats.
     */
    public static Runnable spokeRecordStatus(Site hub, String code, String status) {
        Object before;
        try (MongoProbe m = mongo(hub)) {
            before = m.setField(Contract.mongoDatabase(hub.lower()), SPOKES, "instanceCode", code, "status", status);
        }
        return () -> {
            try (MongoProbe m = mongo(hub)) {
                m.setField(Contract.mongoDatabase(hub.lower()), SPOKES, "instanceCode", code, "status", before);
            }
        };
    }

    private static final String SPOKES = "federation_spokes";

    private static MongoProbe mongo(Site s) { return DeploymentChecks.mongoOf(s.instance()); }

    /**
     * A spoke's backend is frozen ({@code docker pause}: a hung process, which sends no heartbeat) until the hub's
     * record of its last heartbeat is more than {@code olderThan} old. The undo thaws it and waits until the hub
     * records a heartbeat from it again, so the federation is as it was.
     */
    public static Runnable frozenBackend(Federation f, String code, Duration olderThan) {
        Site spoke = f.spoke(code);
        String container = spoke.instance().plan().service(spoke.instance().service("backend")).containerName();
        Duration within = olderThan.plusSeconds(30);
        Instant frozenAt = Instant.now();
        Docker.client().pauseContainerCmd(container).exec();
        Runnable thaw = () -> {
            Docker.client().unpauseContainerCmd(container).exec();
            FederationRecords.awaitLastHeartbeat(f, code, within, "after " + frozenAt, last -> last != null && last.isAfter(frozenAt));
        };
        try {
            // a spoke that never beat does not count as stale: a fault made on it would prove nothing, so the wait runs out
            FederationRecords.awaitLastHeartbeat(f, code, within, "older than " + olderThan.toSeconds() + " s",
                    last -> last != null && Duration.between(last, Instant.now()).compareTo(olderThan) > 0);
        } catch (RuntimeException e) {
            try {
                thaw.run();
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        return thaw;
    }

    private static final String INVERTED_MARK = "FAULT: releasability inverted";

    /**
     * The hub publishes the policy with its releasability rule inverted (a
     * country IN releasabilityTo is denied); returns once the spoke's OPA has it.
     */
    public static Runnable invertedReleasability(Site hub, Path policies, Site reachedAt, Duration within) {
        Path copy;
        try {
            copy = Files.createTempDirectory("dive-verify-inverted-policy");
            try (Stream<Path> files = Files.walk(policies)) {
                for (Path p : files.toList()) {
                    Path dst = copy.resolve(policies.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(dst); else Files.copy(p, dst);
                }
            }
            Path rego = copy.resolve("dive/authz.rego");
            String original = Files.readString(rego);
            String inverted = original.replace("\tnot input.subject.countryOfAffiliation in {c | some c in object.get(input.resource, \"releasabilityTo\", [])}",
                    "\t# " + INVERTED_MARK + "\n\tinput.subject.countryOfAffiliation in {c | some c in object.get(input.resource, \"releasabilityTo\", [])}");
            if (inverted.equals(original)) throw new IllegalStateException("the releasability rule was not found in " + rego + ": the fault cannot be made");
            Files.writeString(rego, inverted);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the inverted policy: " + e.getMessage(), e);
        }
        PolicyRepository repo = new PolicyRepository(hub.instance().dir().resolve("policy-repo"));
        repo.sync(copy, "fault: releasability inverted");
        awaitPolicy(reachedAt, true, within);
        return () -> {
            repo.sync(policies, "policies from templates/policies (fault undone)");
            awaitPolicy(reachedAt, false, within);
            deleteTree(copy);
        };
    }

    private static void awaitPolicy(Site opaOf, boolean inverted, Duration within) {
        String wanted = inverted ? "inverted" : "original";
        var seen = Poll.until(within, Duration.ofMillis(250), () -> {
            Http.Answer a = Http.get(opaOf.opaUrl() + "/v1/policies", null);
            return a.status() == 200 ? (a.body().contains(INVERTED_MARK) ? "inverted" : "original") : a.describe();
        }, wanted::equals);
        if (!seen.done()) {
            throw new IllegalStateException("the " + (inverted ? "inverted" : "restored") + " policy did not reach the OPA of "
                    + opaOf.code() + " within " + within.toSeconds() + " s (it holds the " + seen.last() + " one)");
        }
    }

    private static void expect(Http.Answer a, String what) {
        if (a.status() / 100 != 2) throw new IllegalStateException(what + ": " + a.describe());
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        } catch (IOException ignored) {
            // a temp directory; the OS cleans it
        }
    }
}
