package dive.verify.steps;

import dive.verify.check.Contract;
import dive.verify.check.DeploymentChecks;
import dive.verify.federation.HubApi;
import dive.verify.federation.KeycloakAdmin;
import dive.verify.federation.SpokeRegistration;
import dive.verify.http.Http;
import dive.verify.instance.Instance;
import dive.verify.probe.MongoProbe;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Registration of a spoke with the hub, and the federation state it must leave. */
public final class FederationSteps {
    private final World world;
    private Http.Answer last;
    private long heartbeatsBefore;

    public FederationSteps(World world) { this.world = world; }

    private Instance spoke(String code) {
        Instance i = world.instances.get(code);
        if (i == null) throw new IllegalStateException("spoke " + code + " was not initialised by an earlier step");
        return i;
    }

    @When("spoke {string} registers with the hub")
    public void register(String code) {
        Instance spoke = spoke(code);
        SpokeRegistration.register(world.hub, spoke);
        // like `spoke register`: the backend and the OPAL client restart with the new tokens
        Harness.spoil(code);
        SpokeRegistration.restartWithTokens(world.deployment(), spoke);
    }

    @Then("the spoke's .env holds SPOKE_ID, SPOKE_TOKEN and SPOKE_OPAL_TOKEN, readable by its owner only")
    public void envHoldsTokens() throws Exception {
        var env = world.instance().env();
        assertThat(env.read()).containsKeys("SPOKE_ID", "SPOKE_TOKEN", "SPOKE_OPAL_TOKEN");
        assertThat(env.read().get("SPOKE_TOKEN")).as("SPOKE_TOKEN: 32 random bytes, base64url").matches("[A-Za-z0-9_-]{43}");
        assertThat(Files.getPosixFilePermissions(env.path())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    private HubApi hubApi() {
        return HubApi.of(world.hub);
    }

    @Then("the hub lists spoke {string} as approved")
    public void hubListsApproved(String code) {
        assertThat(hubApi().spokes()).as("spokes at the hub").anySatisfy(s -> {
            assertThat(s.instanceCode()).isEqualTo(code);
            assertThat(s.status()).isEqualTo("approved");
        });
    }

    private KeycloakAdmin admin(Instance i) {
        return KeycloakAdmin.login("http://localhost:" + i.port("keycloak"), i.secret("KEYCLOAK_ADMIN_PASSWORD_" + i.code().upper()));
    }

    @Then("the hub realm has identity provider {string} with a mapper for each of the DIVE attributes {string}")
    public void hubIdp(String alias, String attributes) {
        KeycloakAdmin a = admin(world.hub);
        String realm = Contract.realm(world.hub.code().lower());
        assertThat(a.identityProviders(realm)).as("identity providers of %s", realm).contains(alias);
        assertThat(a.idpMappers(realm, alias)).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(attributes.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList());
    }

    @Then("the spoke realm has identity provider {string}")
    public void spokeIdp(String alias) {
        String realm = Contract.realm(world.instance().code().lower());
        assertThat(admin(world.instance).identityProviders(realm)).as("identity providers of %s", realm).contains(alias);
    }

    private MongoProbe hubMongo() {
        return DeploymentChecks.mongoOf(world.hub);
    }

    @Then("the hub trusts the issuer of realm {string}")
    public void trustsIssuer(String realm) {
        String issuer = "http://localhost:" + world.instance().port("keycloak") + "/realms/" + realm;
        try (MongoProbe m = hubMongo()) {
            m.find(Contract.mongoDatabase(world.hub.code().lower()), "trusted_issuers", "issuerUrl", issuer).orFail();
        }
    }

    @Then("the hub has registered KAS {string}")
    public void kasRegistered(String kasId) {
        try (MongoProbe m = hubMongo()) {
            m.find(Contract.mongoDatabase(world.hub.code().lower()), "kas_registry", "kasId", kasId).orFail();
        }
    }

    @Then("within {int} seconds the hub records a heartbeat from spoke {string}")
    public void heartbeat(int seconds, String code) {
        CheckSteps.eventually(Duration.ofSeconds(seconds), () -> hubApi().heartbeatRecorded(code));
    }

    @Then("the backend log written after registration has no SPOKE_TOKEN warning")
    public void noSpokeTokenWarning() {
        world.checks().noForbiddenLogLinesIn("backend").orFail();
        assertThat(world.deployment().log(world.instance.service("backend")).lines()).as("the recreated backend's log").isNotEmpty();
    }

    @Then("the status of spoke {string} reads approved, with its token expiry, its last heartbeat and nine healthy containers")
    public void status(String code) {
        world.deployment().engineAgreement(); // the status reads the engine's health: once its checks have caught up
        var st = dive.verify.federation.SpokeStatus.read(world.hub, spoke(code));
        System.out.print(st.format());
        assertThat(st.registration()).as("registration state at the hub").isEqualTo("approved");
        assertThat(st.tokenExpiresAt()).as("token expiry").isNotBlank();
        assertThat(st.lastHeartbeat()).as("last heartbeat").isNotBlank();
        assertThat(st.healthyContainers()).as("healthy containers: %s", st.containers()).isEqualTo(9);
    }

    @When("a registration for instance code {string} is sent to the hub")
    public void badRegistration(String code) {
        last = SpokeRegistration.send(world.hub, SpokeRegistration.request(world.instance(), code));
    }

    @When("spoke {string} sends its registration to the hub")
    @When("spoke {string} sends its registration to the hub a second time")
    public void sendRegistration(String code) {
        last = SpokeRegistration.send(world.hub, SpokeRegistration.request(spoke(code), code));
    }

    @Then("the hub answers HTTP {int} naming {string}")
    @Then("the hub answers HTTP {int} saying {string}")
    public void hubAnswers(int status, String text) {
        assertThat(last.status()).as("hub's answer: %s", last.describe()).isEqualTo(status);
        assertThat(last.body()).contains(text);
    }

    @When("a heartbeat for spoke {string} is sent to the hub with a token it never issued")
    public void forgedHeartbeat(String code) {
        heartbeatsBefore = heartbeatCount(code);
        last = hubApi().heartbeat(code, dive.verify.instance.SecretsSync.randomToken(32));
    }

    /** Heartbeats the hub recorded for a spoke (0 when it does not know the spoke). */
    private long heartbeatCount(String code) {
        return hubApi().heartbeatCount(code);
    }

    @Then("the hub answers HTTP {int} and records no heartbeat from {string}")
    public void refusedHeartbeat(int status, String code) {
        assertThat(last.status()).as("hub's answer: %s", last.describe()).isEqualTo(status);
        assertThat(heartbeatCount(code)).as("heartbeats recorded for %s after a forged one", code).isEqualTo(heartbeatsBefore);
        HubApi.Registration st = hubApi().registration(code);
        // registered (200, and then no heartbeat may be recorded) or unknown to the hub (404): nothing else
        assertThat(st.httpStatus()).as("registration status of %s at the hub: %s", code, st.answer()).isIn(200, 404);
        if (st.known()) assertThat(st.lastHeartbeat()).as("lastHeartbeat of %s", code).isNull();
    }
}
