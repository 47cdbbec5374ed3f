package dive.verify.steps;

import dive.verify.oidc.BrowserSession;
import dive.verify.oidc.LoginPlan;
import dive.verify.oidc.VerifiedToken;
import dive.verify.probe.Evidence;
import dive.verify.sso.ExpiredTokens;
import dive.verify.sso.Federation;
import dive.verify.sso.FederationFaults;
import dive.verify.sso.FederationRecords;
import dive.verify.sso.ForeignTokens;
import dive.verify.sso.KeyAccess;
import dive.verify.sso.SignIn;
import dive.verify.sso.Site;
import dive.verify.sso.SsoChecks;
import io.cucumber.java.Before;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SSO features: brokered sign-ins across the federation, the backends'
 * and KAS's answers to their tokens, and the faults that must turn those
 * checks red. Each step runs one check of {@link SsoChecks} (or a sign-in);
 * negative steps require the check's own verdict to be "failed".
 */
public final class SsoSteps {
    private final World world;
    private Scenario scenario;
    /** The last sign-in, and every sign-in of the scenario by user. */
    private SignIn last;
    private final Map<String, SignIn> byUser = new LinkedHashMap<>();
    private KeyAccess.Release release;

    public SsoSteps(World world) { this.world = world; }

    /** Scenarios run on the federation, and their time without building it (printed at the end of the run). */
    private static int scenariosOnFederation;
    private static long nanosOnFederation;
    private long startNanos, buildAtStart;

    /** A scenario outside the SSO features frees the machine of the federation (it is built again if needed). */
    @Before(order = 1)
    public void releaseFederationOutsideSso(Scenario scenario) {
        if (!scenario.getSourceTagNames().contains("@sso")) FederationFixture.release();
    }

    @Before
    public void keep(Scenario scenario) {
        this.scenario = scenario;
        startNanos = System.nanoTime();
        buildAtStart = FederationFixture.buildNanos();
    }

    @io.cucumber.java.After
    public void timeOnFederation() {
        if (world.federation == null) return;
        synchronized (SsoSteps.class) {
            scenariosOnFederation++;
            nanosOnFederation += System.nanoTime() - startNanos - (FederationFixture.buildNanos() - buildAtStart);
        }
    }

    @io.cucumber.java.AfterAll
    public static void printTimeOnFederation() {
        if (scenariosOnFederation == 0) return;
        System.out.printf("[dive-verify] %d scenarios ran on the running federation in %.1f s (deploying and registering it: %.1f s)%n",
                scenariosOnFederation, nanosOnFederation / 1e9, FederationFixture.buildNanos() / 1e9);
    }

    private Federation fed() {
        if (world.federation == null) throw new IllegalStateException("no federation: a step must deploy it first");
        return world.federation;
    }

    private SignIn last() {
        if (last == null) throw new IllegalStateException("nobody signed in: a step must sign someone in first");
        return last;
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    // ---------------------------------------------------------------- the federation

    @Given("the federation of hub {string} with spokes {string} and {string} is deployed and registered")
    public void federation(String hub, String a, String b) {
        FederationFixture.ensure(world, hub, List.of(a, b));
    }

    // ---------------------------------------------------------------- signing in

    /** Routes: how the person gets from the realm they sign in at to their home realm. */
    private UnaryOperator<LoginPlan> through(String idpAlias) { return p -> p.withIdpHint(idpAlias); }

    private SignIn signIn(String user, Site at, BrowserSession browser, UnaryOperator<LoginPlan> route) {
        SignIn[] out = new SignIn[1];
        Evidence e = SsoChecks.signedIn(user + " signs in at " + at.realm(),
                () -> SignIn.perform(fed(), user, at, browser, route), s -> out[0] = s);
        e.orFail();
        last = out[0];
        byUser.put(user, last);
        return last;
    }

    @When("{string} of the hub signs in at spoke {string} through {string}")
    public void hubUserAtSpoke(String user, String spoke, String idp) {
        signIn(user, fed().spoke(spoke), new BrowserSession(), through(idp));
    }

    @When("{string} of spoke {string} signs in at the hub through {string}")
    public void spokeUserAtHub(String user, String spoke, String idp) {
        signIn(user, fed().hub(), new BrowserSession(), through(idp));
    }

    @When("{string} of spoke {string} signs in at spoke {string} through the hub")
    public void triangle(String user, String home, String at) {
        // at GBR: through the hub (usa-idp); at the hub: the person chooses their own nation (fra-idp)
        Federation f = fed();
        signIn(user, f.spoke(at), new BrowserSession(),
                p -> p.withIdpHint(f.hub().idpAlias()).choosing(f.hub().realm(), f.spoke(home).idpAlias()));
    }

    @When("the same person then signs in at spoke {string} through {string}")
    public void samePersonAgain(String spoke, String idp) {
        signIn(last().username(), fed().spoke(spoke), last().browser(), through(idp));
    }

    @When("{string} of spoke {string} and {string} of spoke {string} are both signed in at the hub")
    public void twoAtHub(String u1, String s1, String u2, String s2) {
        signIn(u1, fed().hub(), new BrowserSession(), through(fed().spoke(s1).idpAlias()));
        signIn(u2, fed().hub(), new BrowserSession(), through(fed().spoke(s2).idpAlias()));
    }

    // ---------------------------------------------------------------- the token

    private VerifiedToken token() { return SsoChecks.token(last()); }

    @Then("the access token verifies against the keys of realm {string}")
    public void verifies(String realm) {
        Site s = siteOfRealm(realm);
        SsoChecks.verifiesAgainst(s, last().accessToken()).orFail();
    }

    private Site siteOfRealm(String realm) {
        return fed().all().stream().filter(s -> s.realm().equals(realm)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no realm " + realm + " in the federation"));
    }

    @Then("the token's issuer is realm {string} of spoke {string}")
    public void issuerOfSpoke(String realm, String spoke) {
        assertThat(fed().spoke(spoke).realm()).isEqualTo(realm);
        SsoChecks.issuerIs(token(), fed().spoke(spoke)).orFail();
    }

    @Then("the token's issuer is realm {string} of the hub")
    public void issuerOfHub(String realm) {
        assertThat(fed().hub().realm()).isEqualTo(realm);
        SsoChecks.issuerIs(token(), fed().hub()).orFail();
    }

    @Then("the token's {string} is {string}")
    public void claimIs(String claim, String value) {
        SsoChecks.claimIs(token(), claim, value).orFail();
    }

    @Then("the token's {string} is exactly {string}")
    public void claimListIs(String claim, String values) {
        SsoChecks.claimListIs(token(), claim, list(values)).orFail();
    }

    @Then("the token's {string} equals the one spoke {string} itself issues for {string}")
    public void claimEqualsHome(String claim, String spoke, String user) {
        Site home = fed().spoke(spoke);
        // the home realm's own token for the same person, from its own login form
        SignIn direct = SignIn.perform(fed(), user, home, new BrowserSession(), p -> p);
        String expected = SsoChecks.token(direct).stringClaim(claim);
        assertThat(expected).as("%s in %s's own token for %s", claim, spoke, user).isNotBlank();
        SsoChecks.claimIs(token(), claim, expected).orFail();
    }

    // ---------------------------------------------------------------- the backends

    @Then("the backend of {string} answers the resource list with HTTP {int} for that token")
    public void listWithToken(String code, int status) {
        SsoChecks.resourceListStatus(fed().site(code), last().accessToken(), status).orFail();
    }

    @Then("the backend of {string} answers the resource list with HTTP {int} without a token")
    public void listWithoutToken(String code, int status) {
        SsoChecks.resourceListStatus(fed().site(code), null, status).orFail();
    }

    @Then("the resource list of {string} holds exactly {string}")
    public void listExactly(String code, String ids) {
        SsoChecks.resourceListExactly(fed().site(code), last().accessToken(), list(ids)).orFail();
    }

    @Then("{string} at {string} is refused with HTTP {int} saying {string}")
    public void refused(String id, String code, int status, String saying) {
        SsoChecks.resourceRefused(fed().site(code), last().accessToken(), id, status, saying).orFail();
    }

    @Then("{string} at {string} is allowed with HTTP 200 saying {string}")
    public void allowed(String id, String code, String reason) {
        SsoChecks.resourceAllowed(fed().site(code), last().accessToken(), id, reason).orFail();
    }

    @Then("the answer carries the content of {string}")
    public void content(String id) {
        SsoChecks.carriesContent(last().at(), last().accessToken(), id).orFail();
    }

    @Then("the backend of {string} refuses the token re-signed with another key under the realm's key id, with HTTP 401 saying {string}")
    public void forged(String code, String saying) {
        String forged = ForeignTokens.resignedWithAnotherKey(last().accessToken());
        SsoChecks.refusedBearer(fed().site(code), "the backend of " + code + " refuses a forged token", forged, saying).orFail();
    }

    @Then("the backend of {string} refuses a genuinely expired token of realm {string}, with HTTP 401 saying {string}")
    public void expired(String code, String realm, String saying) {
        assertThat(last().at().realm()).as("the realm the person signed in at").isEqualTo(realm);
        // beyond the backends' clock-skew allowance (TOKEN_CLOCK_SKEW_SECONDS, 2 s by default)
        String token = ExpiredTokens.issue(last(), Duration.ofSeconds(3));
        SsoChecks.refusedBearer(fed().site(code), "the backend of " + code + " refuses an expired token", token, saying).orFail();
    }

    // ---------------------------------------------------------------- refresh and logout

    @Then("a refresh grant returns a new token for the same subject with a later expiry")
    public void refresh() {
        SsoChecks.refreshGivesLaterToken(last()).orFail();
    }

    @Then("after logout the refresh token is refused with {string}")
    public void afterLogout(String error) {
        SsoChecks.refusedAfterLogout(last(), error).orFail();
    }

    @Then("each of their tokens carries its own country, {string} and {string}")
    public void ownCountries(String c1, String c2) {
        List<SignIn> two = new ArrayList<>(byUser.values());
        assertThat(two).as("two people signed in").hasSizeGreaterThanOrEqualTo(2);
        SsoChecks.claimIs(SsoChecks.token(two.get(two.size() - 2)), "countryOfAffiliation", c1).orFail();
        SsoChecks.claimIs(SsoChecks.token(two.get(two.size() - 1)), "countryOfAffiliation", c2).orFail();
    }

    @Then("after {string} logs out, the refresh token of {string} still works and that of {string} is refused")
    public void oneLogsOut(String out, String stays, String outAgain) {
        SignIn leaving = signedIn(out), staying = signedIn(stays);
        SsoChecks.refusedAfterLogout(leaving, "invalid_grant").orFail();
        SsoChecks.refreshWorks(staying, "the refresh token of " + stays + " still works").orFail();
        SsoChecks.refreshRefused(signedIn(outAgain), "invalid_grant", "the refresh token of " + outAgain + " is refused").orFail();
    }

    private SignIn signedIn(String user) {
        SignIn s = byUser.get(user);
        if (s == null) throw new IllegalStateException(user + " has not signed in in this scenario");
        return s;
    }

    @Then("the second sign-in showed no password form")
    public void noSecondPassword() {
        Evidence e = last().result().passwordFormsShown() == 0
                ? Evidence.ok("the second sign-in showed no password form", "pages " + last().result().pagesVisited())
                : Evidence.failed("the second sign-in showed no password form", last().result().passwordFormsShown()
                        + " password form(s); pages " + last().result().pagesVisited());
        e.orFail();
    }

    // ---------------------------------------------------------------- the hub's records

    @Then("the hub lists spokes {string} and {string} as approved")
    public void approved(String a, String b) {
        FederationRecords.approved(fed(), List.of(a, b)).orFail();
    }

    @Then("the hub realm has identity providers {string} and {string}, and each spoke realm has {string}")
    public void idps(String a, String b, String back) {
        brokeredBothWays(a, b, back).orFail();
    }

    /** The aliases the step names are the federation's own; the check then reads both sides' realms. */
    private Evidence brokeredBothWays(String a, String b, String back) {
        assertThat(List.of(a, b)).containsExactlyElementsOf(fed().spokes().values().stream().map(Site::idpAlias).toList());
        assertThat(back).isEqualTo(fed().hub().idpAlias());
        return FederationRecords.brokeredBothWays(fed(), List.copyOf(fed().spokes().keySet()));
    }

    @Then("the hub recorded a heartbeat from {string} and from {string} within the last {int} seconds")
    public void heartbeats(String a, String b, int seconds) {
        FederationRecords.recentHeartbeats(fed(), List.of(a, b), Duration.ofSeconds(seconds)).orFail();
    }

    @Then("the status of spokes {string} and {string} reads approved, active and bidirectional")
    public void statusView(String a, String b) {
        var view = FederationRecords.statusView(fed(), List.of(a, b));
        String table = String.join("\n", view.stream().map(FederationRecords.Link::line).toList());
        System.out.println("[dive-verify] federation status\n" + table);
        scenario.attach(table, "text/plain", "federation status view");
        FederationRecords.approvedActiveBidirectional(view).orFail();
    }

    // ---------------------------------------------------------------- latency

    @Then("the average of {int} brokered logins of {string} at spoke {string}, each in a new session after one warm-up, is printed and under {int} ms")
    public void latency(int n, String user, String spoke, int limitMs) {
        Site at = fed().spoke(spoke);
        UnaryOperator<LoginPlan> route = through(fed().hub().idpAlias());
        signIn(user, at, new BrowserSession(), route); // warm-up
        List<Duration> samples = new ArrayList<>();
        StringBuilder hops = new StringBuilder();
        for (int i = 0; i < n; i++) {
            var r = signIn(user, at, new BrowserSession(), route).result();
            samples.add(r.elapsed());
            hops.append("login ").append(i + 1).append(": ").append(r.elapsed().toMillis()).append(" ms = ").append(r.hops()).append('\n');
        }
        scenario.attach(hops.toString(), "text/plain", "brokered logins, request by request");
        System.out.print(hops);
        Evidence e = SsoChecks.averageLatency(samples, Duration.ofMillis(limitMs));
        System.out.println("[dive-verify] brokered login latency (" + user + " at " + spoke + "): " + e.observed());
        scenario.attach(e.observed(), "text/plain", "brokered login latency");
        e.orFail();
    }

    // ---------------------------------------------------------------- KAS

    @When("that user asks the KAS of {string} for the key of {string}")
    public void askKas(String code, String resourceId) {
        release = KeyAccess.request(fed().site(code), last().accessToken(), resourceId);
    }

    private KeyAccess.Release release() {
        if (release == null) throw new IllegalStateException("no key was requested: a step must ask the KAS first");
        return release;
    }

    @Then("the KAS releases a key")
    public void released() { KeyAccess.released(release()).orFail(); }

    @Then("the key decrypts the encrypted content of {string} read from the backend of {string}, which reads {string}")
    public void decrypts(String id, String code, String start) {
        KeyAccess.decrypts(release(), fed().site(code), last().accessToken(), id, start).orFail();
    }

    @Then("the KAS refuses with HTTP {int} saying {string}")
    public void kasRefuses(int status, String saying) { KeyAccess.refused(release(), status, saying).orFail(); }

    @Then("the answer holds no key material")
    public void noKey() { KeyAccess.noKeyMaterial(release()).orFail(); }

    // ---------------------------------------------------------------- faults, and checks that must fail

    /** Undo at the scenario's end; a fault that cannot be undone spoils the shared federation. */
    private void undoLater(Runnable undo) {
        world.cleanups.add(() -> {
            try {
                undo.run();
            } catch (RuntimeException e) {
                FederationFixture.spoil();
                throw e;
            }
        });
    }

    /** A negative against the broken federation: as every negative ({@link NegativeSteps#expectFailure}), a verdict "failed", for the stated reason. */
    static void expectFailed(Supplier<Evidence> check, String saying) {
        NegativeSteps.expectFailure("the SSO check", check, saying);
    }

    @Given("spoke {string} has lost the {string} mapper of {string} and forgotten the users it brokered")
    public void mapperLost(String spoke, String mapper, String idp) {
        undoLater(FederationFaults.removeIdpMapper(fed().spoke(spoke), idp, mapper));
    }

    @Then("the check that the token's {string} is {string} fails, saying {string}")
    public void claimCheckFails(String claim, String value, String saying) {
        VerifiedToken t = token();
        expectFailed(() -> SsoChecks.claimIs(t, claim, value), saying);
    }

    @Given("the hub publishes a policy whose releasability rule is inverted, and it reaches the OPA of {string}")
    public void invertedPolicy(String code) {
        undoLater(FederationFaults.invertedReleasability(fed().hub(), Harness.TEMPLATES.resolve("policies"), fed().site(code),
                Duration.ofSeconds(30)));
    }

    @Then("the check that {string} at {string} is refused for releasability fails, saying {string}")
    public void releasabilityCheckFails(String id, String code, String saying) {
        String country = token().countryOfAffiliation();
        expectFailed(() -> SsoChecks.resourceRefused(fed().site(code), last().accessToken(), id, 403,
                "country " + country + " is not in releasabilityTo"), saying);
    }

    @Given("the hub has disabled its identity provider {string}")
    public void idpDisabled(String alias) {
        undoLater(FederationFaults.disableIdp(fed().hub(), alias));
    }

    @Then("the check that {string} of spoke {string} signs in at the hub through {string} fails, saying {string}")
    public void signInFails(String user, String spoke, String idp, String saying) {
        expectFailed(() -> SsoChecks.signedIn(user + " signs in at " + fed().hub().realm(),
                () -> SignIn.perform(fed(), user, fed().hub(), new BrowserSession(), through(idp)), s -> { }), saying);
    }

    @Given("the OPA of {string} holds trusted issuers without the issuer of realm {string}")
    public void untrusted(String code, String realm) {
        undoLater(FederationFaults.trustedIssuersWithout(fed().site(code), siteOfRealm(realm).issuer()));
    }

    @Then("the check that the resource list of {string} holds exactly {string} fails, saying {string}")
    public void listCheckFails(String code, String ids, String saying) {
        expectFailed(() -> SsoChecks.resourceListExactly(fed().site(code), last().accessToken(), list(ids)), saying);
    }

    @Given("the hub's record of spoke {string} reads {string}")
    public void recordReads(String code, String status) {
        undoLater(FederationFaults.spokeRecordStatus(fed().hub(), code, status));
    }

    @Given("the backend of spoke {string} is frozen until its last heartbeat at the hub is more than {int} seconds old")
    public void backendFrozen(String code, int seconds) {
        undoLater(FederationFaults.frozenBackend(fed(), code, Duration.ofSeconds(seconds)));
    }

    @Then("the check that the hub lists spokes {string} and {string} as approved fails, saying {string}")
    public void approvedCheckFails(String a, String b, String saying) {
        expectFailed(() -> FederationRecords.approved(fed(), List.of(a, b)), saying);
    }

    @Then("the check that the hub realm has identity providers {string} and {string}, and each spoke realm has {string}, fails, saying {string}")
    public void idpsCheckFails(String a, String b, String back, String saying) {
        expectFailed(() -> brokeredBothWays(a, b, back), saying);
    }

    @Then("the check that the hub recorded a heartbeat from {string} and from {string} within the last {int} seconds fails, saying {string}")
    public void heartbeatsCheckFails(String a, String b, int seconds, String saying) {
        expectFailed(() -> FederationRecords.recentHeartbeats(fed(), List.of(a, b), Duration.ofSeconds(seconds)), saying);
    }

    @Then("the check that the status of spokes {string} and {string} reads approved, active and bidirectional fails, saying {string}")
    public void statusCheckFails(String a, String b, String saying) {
        expectFailed(() -> FederationRecords.approvedActiveBidirectional(FederationRecords.statusView(fed(), List.of(a, b))), saying);
    }

    @Given("spoke {string} has lost its client scope {string}")
    public void scopeLost(String code, String scope) {
        undoLater(FederationFaults.withoutClientScope(fed().spoke(code), scope));
    }
}
