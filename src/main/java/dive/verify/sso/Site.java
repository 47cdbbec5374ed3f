package dive.verify.sso;

import dive.verify.check.Contract;
import dive.verify.check.DeploymentChecks;
import dive.verify.instance.Instance;

/**
 * One instance of the federation (the hub or a spoke) seen from the host:
 * the browser-facing URLs of its Keycloak realm and services, and the
 * credentials of its realm's client and test users (read from its .env).
 */
public record Site(Instance instance, boolean hub) {
    private static final String HOST = DeploymentChecks.HOST;

    public String code() { return instance.code().upper(); }

    public String lower() { return instance.code().lower(); }

    /** The realm: {@code dive-v3-broker-fra}. */
    public String realm() { return Contract.realm(lower()); }

    public String keycloakUrl() { return url("keycloak"); }

    /** The issuer of the realm's tokens: the URL the browser uses. */
    public String issuer() { return keycloakUrl() + "/realms/" + realm(); }

    public String backendUrl() { return url("backend"); }

    public String kasUrl() { return url("kas"); }

    public String frontendUrl() { return url("frontend"); }

    public String opaUrl() { return url("opa"); }

    /** The realm's confidential client (its id equals the realm's name). */
    public String clientId() { return realm(); }

    public String clientSecret() { return instance.secret("KEYCLOAK_CLIENT_SECRET_" + code()); }

    /** The password of the realm's test users (never printed). */
    public String userPassword() { return instance.secret("TEST_USER_PASSWORD_" + code()); }

    public String adminPassword() { return instance.secret("KEYCLOAK_ADMIN_PASSWORD_" + code()); }

    /** The alias under which the other side brokers to this site: {@code fra-idp}. */
    public String idpAlias() { return lower() + "-idp"; }

    private String url(String service) { return "http://" + HOST + ":" + instance.port(service); }

    @Override
    public String toString() { return (hub ? "hub " : "spoke ") + code(); }
}
