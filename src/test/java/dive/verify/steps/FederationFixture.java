package dive.verify.steps;

import dive.verify.check.OpalClientToken;
import dive.verify.deploy.DeployOptions;
import dive.verify.deploy.Deployment;
import dive.verify.federation.SpokeRegistration;
import dive.verify.instance.Instance;
import dive.verify.sso.Federation;
import dive.verify.sso.FederationRecords;
import dive.verify.sso.Site;
import dive.verify.sso.TrustedIssuers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The federation the SSO features share: a hub of its own (no registration
 * of an earlier feature may linger in it), every spoke deployed whole and
 * registered with it, and the trusted issuers delivered to every OPA. Made
 * once per run; a scenario that breaks it undoes its fault, and a fault that
 * could not be undone spoils it, so that the next scenario builds it again.
 */
final class FederationFixture {
    static final String KEY = "federation";
    private static final Map<String, String> NAMES = Map.of("USA", "Coalition Hub", "FRA", "France Defence",
            "GBR", "United Kingdom", "DEU", "Germany");

    private static Federation current;
    private static RuntimeException failure;
    /** Time spent building the federation (deploying, registering), to tell it apart from the checks' own time. */
    private static long buildNanos;

    private FederationFixture() {}

    static synchronized Federation ensure(World world, String hubCode, List<String> spokeCodes) {
        if (failure != null) {
            throw new IllegalStateException("not deployed again: the federation failed earlier in this run:\n" + failure.getMessage());
        }
        if (current == null || !intact(current, spokeCodes)) {
            try {
                long t0 = System.nanoTime();
                current = build(hubCode, spokeCodes);
                buildNanos += System.nanoTime() - t0;
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        } else {
            System.out.println("[dive-verify] reusing the registered federation " + hubCode + " + " + spokeCodes);
        }
        world.federation = current;
        world.hub = current.hub().instance();
        world.hubDeployment = Harness.active(hubCode, KEY);
        for (Site s : current.all()) {
            world.instances.put(s.code(), s.instance());
            if (!s.hub()) world.deployments.put(s.code(), Harness.active(s.code(), KEY));
        }
        return current;
    }

    /** Nanoseconds spent building federations so far in this run. */
    static synchronized long buildNanos() { return buildNanos; }

    /**
     * Removes the federation's spokes once the scenarios that need it are done:
     * two more Keycloaks and MongoDBs idling beside the next feature's
     * deployments would take the CPU those need (the machine has two cores).
     */
    static synchronized void release() {
        if (current == null) return;
        boolean hubKept = false;
        for (Site s : current.all()) {
            if (Harness.active(s.code(), KEY) == null) continue;
            // the hub is the one the "hub ... is running" step deploys (same instance, plan and options): later
            // features take it as theirs instead of deploying it again (20 s). It still holds the registrations of
            // the federation's spokes, which are removed: no feature after the federation registers a spoke (one
            // that did would be refused with 409, and would need a hub of its own, as the federation has)
            if (s.hub() && Harness.handOver(s.code(), KEY, DeploymentSteps.HUB_KEY)) hubKept = true;
            else Harness.release(s.code());
        }
        current = null;
        System.out.println("[dive-verify] the federation's scenarios are done: its spokes are removed"
                + (hubKept ? ", its hub is kept for the features after it" : ", and its hub"));
    }

    /** Marks the federation as broken beyond repair: the next scenario deploys it again. */
    static synchronized void spoil() {
        if (current == null) return;
        for (Site s : current.all()) Harness.spoil(s.code());
        current = null;
    }

    private static boolean intact(Federation f, List<String> spokeCodes) {
        if (!f.spokes().keySet().equals(new java.util.LinkedHashSet<>(spokeCodes))) return false;
        for (Site s : f.all()) if (Harness.active(s.code(), KEY) == null) return false;
        return true;
    }

    private static String name(String code) { return NAMES.getOrDefault(code, code); }

    private static Federation build(String hubCode, List<String> spokeCodes) {
        long t0 = System.nanoTime();
        Instance hub = Instance.load(Harness.init("hub", hubCode, name(hubCode)).directory());
        // a hub of its own: registrations made by earlier features would refuse ours (409)
        Harness.deploy(hub, KEY, hub.plan(), DeployOptions.all(), true);
        Map<String, Instance> spokes = new LinkedHashMap<>();
        for (String code : spokeCodes) {
            Instance spoke = Instance.load(Harness.init("spoke", code, name(code)).directory());
            OpalClientToken.storeFor(spoke, OpalClientToken.issue(hub));
            // one after the other: on two cores, two Keycloaks starting at once each take more than twice as long
            // (30 s instead of 13 s); side by side, both spokes took 45.0 s, one after the other 45.3 s
            Harness.deploy(spoke, KEY, spoke.plan(), DeployOptions.all(), true);
            spokes.put(code, spoke);
        }
        for (Instance spoke : spokes.values()) SpokeRegistration.register(hub, spoke);
        // as `spoke register` does: the backend and the OPAL client restart with the new tokens; each spoke's on its own
        // thread, since their waits (the engine's health-check interval above all) overlap
        Map<String, Supplier<Void>> restarts = new LinkedHashMap<>();
        for (Instance spoke : spokes.values()) {
            Deployment d = Harness.active(spoke.code().upper(), KEY);
            restarts.put("restart-" + spoke.code().lower(), () -> {
                SpokeRegistration.restartWithTokens(d, spoke);
                return null;
            });
        }
        SideBySide.run(restarts);
        Site hubSite = new Site(hub, true);
        Map<String, Site> sites = new LinkedHashMap<>();
        spokes.forEach((c, i) -> sites.put(c, new Site(i, false)));
        Federation f = new Federation(hubSite, sites);
        // every OPA must hold every issuer (published by the hub through OPAL) before any decision can allow
        TrustedIssuers.awaitEverywhere(f, Duration.ofSeconds(60));
        // and the spokes beat: a scenario run alone (check 25, the frozen backend) must not find a spoke that has not yet
        FederationRecords.awaitFirstHeartbeats(f, Duration.ofSeconds(30));
        System.out.printf("[dive-verify] federation %s + %s deployed, registered, trusted and beating in %.1f s%n", hubCode, spokeCodes,
                (System.nanoTime() - t0) / 1e9);
        return f;
    }
}
