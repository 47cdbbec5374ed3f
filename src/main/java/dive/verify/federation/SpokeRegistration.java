package dive.verify.federation;

import dive.verify.check.Contract;
import dive.verify.check.DeploymentChecks;
import dive.verify.deploy.Deployment;
import dive.verify.deploy.StagedDeployer;
import dive.verify.http.Http;
import dive.verify.instance.Instance;
import dive.verify.report.Secrets;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The equivalent of {@code spoke register FRA}: asks the hub's backend to
 * register the spoke, stores the answer's SPOKE_ID, SPOKE_TOKEN and
 * SPOKE_OPAL_TOKEN in the spoke's .env (0600, replacing earlier values) with
 * the time they were written (SPOKE_REGISTERED_AT, see {@link Instance#registeredAt()}),
 * and creates the spoke side of the brokering ({@code usa-idp} in the spoke realm).
 */
public final class SpokeRegistration {
    private SpokeRegistration() {}

    public static String hubApi(Instance hub) {
        return HubApi.url(hub);
    }

    /** The registration request the spoke sends (no secret but the spoke's client secret, which the hub's IdP needs). */
    public static Map<String, Object> request(Instance spoke, String instanceCode) {
        String lower = spoke.code().lower();
        String kc = "http://" + DeploymentChecks.HOST + ":" + spoke.port("keycloak");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instanceCode", instanceCode);
        body.put("name", spoke.name());
        body.put("baseUrl", "http://" + DeploymentChecks.HOST + ":" + spoke.port("frontend"));
        body.put("apiUrl", "http://backend-" + lower + ":4000");
        body.put("idpUrl", kc);
        body.put("idpIssuer", kc + "/realms/" + Contract.realm(lower));
        body.put("idpInternalUrl", "http://keycloak-" + lower + ":8080");
        body.put("kasUrl", "http://kas-" + lower + ":8080");
        body.put("requestedScopes", List.of("policy:base", "heartbeat:write"));
        body.put("contactEmail", "ops@" + lower + ".dive.example");
        body.put("clientSecret", spoke.secret("KEYCLOAK_CLIENT_SECRET_" + spoke.code().upper()));
        return body;
    }

    public static Http.Answer send(Instance hub, Map<String, Object> body) {
        return HubApi.of(hub).register(body);
    }

    /**
     * As {@code spoke register} does after registering: the spoke's backend and
     * OPAL client are recreated from the .env that now holds their tokens.
     */
    public static void restartWithTokens(Deployment deployment, Instance spoke) {
        new StagedDeployer().recreate(deployment, spoke.plan(), List.of(spoke.service("backend"), spoke.service("opal-client")));
    }

    /** Registers, stores the tokens, creates usa-idp in the spoke realm. @return the spokeId */
    public static String register(Instance hub, Instance spoke) {
        Http.Answer r = send(hub, request(spoke, spoke.code().upper()));
        if (r.status() != 201) {
            throw new AssertionError("registration of " + spoke.code() + " at the hub failed: HTTP " + r.status() + " " + Secrets.redact(r.body()));
        }
        String spokeId = r.text("spoke.spokeId");
        String token = r.text("token.token");
        String opal = r.text("opalToken.token");
        if (token == null || opal == null) {
            throw new AssertionError("the hub registered " + spoke.code() + " as " + r.text("spoke.status") + " without tokens: not approved");
        }
        Secrets.register(token);
        Secrets.register(opal);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPOKE_ID", spokeId);
        env.put("SPOKE_TOKEN", token);
        env.put("SPOKE_OPAL_TOKEN", opal);
        // from here on the spoke has its token: a SPOKE_TOKEN warning written later is a fault (LogScan)
        env.put(Instance.REGISTERED_AT, Instant.now().toString());
        spoke.env().put("registration with the hub (spoke register)", env);

        // the spoke side of the brokering: the hub as an identity provider of the spoke realm
        String hubLower = hub.code().lower();
        String hubKc = "http://" + DeploymentChecks.HOST + ":" + hub.port("keycloak");
        KeycloakAdmin admin = KeycloakAdmin.login("http://" + DeploymentChecks.HOST + ":" + spoke.port("keycloak"),
                spoke.secret("KEYCLOAK_ADMIN_PASSWORD_" + spoke.code().upper()));
        admin.ensureOidcBroker(Contract.realm(spoke.code().lower()), hubLower + "-idp", "DIVE V3 " + hub.name() + " (" + hub.code() + ")",
                hubKc + "/realms/" + Contract.realm(hubLower), "http://keycloak-" + hubLower + ":8080/realms/" + Contract.realm(hubLower),
                Contract.realm(hubLower), hub.secret("KEYCLOAK_CLIENT_SECRET_" + hub.code().upper()));
        return spokeId;
    }
}
