package dive.verify.federation;

import dive.verify.report.Secrets;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.List;
import java.util.Map;

/** The few Keycloak Admin REST calls the harness makes itself (reading state, and the spoke side of brokering). */
public final class KeycloakAdmin {
    private final String baseUrl;
    private final String token;

    private KeycloakAdmin(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** Logs in to the master realm as {@code admin} with admin-cli. */
    public static KeycloakAdmin login(String baseUrl, String adminPassword) {
        Response r = RestAssured.given().contentType(ContentType.URLENC)
                .formParams(Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", adminPassword))
                .post(baseUrl + "/realms/master/protocol/openid-connect/token");
        if (r.statusCode() != 200) {
            throw new AssertionError("Keycloak admin login at " + baseUrl + " failed: HTTP " + r.statusCode() + " " + Secrets.redact(r.asString()));
        }
        String t = r.jsonPath().getString("access_token");
        Secrets.register(t);
        return new KeycloakAdmin(baseUrl, t);
    }

    /** Aliases of the identity providers of a realm. */
    public List<String> identityProviders(String realm) {
        Response r = RestAssured.given().auth().oauth2(token).get(baseUrl + "/admin/realms/" + realm + "/identity-provider/instances");
        if (r.statusCode() != 200) throw new AssertionError("listing identity providers of " + realm + ": HTTP " + r.statusCode());
        return r.jsonPath().getList("alias");
    }

    /** Mapper names of an identity provider. */
    public List<String> idpMappers(String realm, String alias) {
        Response r = RestAssured.given().auth().oauth2(token).get(baseUrl + "/admin/realms/" + realm + "/identity-provider/instances/" + alias + "/mappers");
        if (r.statusCode() != 200) throw new AssertionError("listing mappers of " + alias + " in " + realm + ": HTTP " + r.statusCode());
        return r.jsonPath().getList("name");
    }

    /**
     * Creates (or updates) an OIDC identity provider brokering to another realm,
     * with importers for the four DIVE attributes.
     */
    public void ensureOidcBroker(String realm, String alias, String displayName, String browserIssuer, String internalRealmUrl,
                                 String clientId, String clientSecret) {
        Map<String, Object> idp = Map.of("alias", alias, "displayName", displayName, "providerId", "oidc", "enabled", true,
                "trustEmail", true, "config", Map.ofEntries(
                        Map.entry("issuer", browserIssuer),
                        Map.entry("authorizationUrl", browserIssuer + "/protocol/openid-connect/auth"),
                        Map.entry("tokenUrl", internalRealmUrl + "/protocol/openid-connect/token"),
                        Map.entry("userInfoUrl", internalRealmUrl + "/protocol/openid-connect/userinfo"),
                        Map.entry("jwksUrl", internalRealmUrl + "/protocol/openid-connect/certs"),
                        Map.entry("useJwksUrl", "true"), Map.entry("validateSignature", "true"),
                        Map.entry("clientId", clientId), Map.entry("clientSecret", clientSecret),
                        Map.entry("clientAuthMethod", "client_secret_post"), Map.entry("syncMode", "FORCE"),
                        Map.entry("defaultScope", "openid profile email clearance countryOfAffiliation uniqueID acpCOI")));
        String base = baseUrl + "/admin/realms/" + realm + "/identity-provider/instances";
        Response r = RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON).body(idp).post(base);
        if (r.statusCode() == 409) r = RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON).body(idp).put(base + "/" + alias);
        if (r.statusCode() / 100 != 2) throw new AssertionError("creating identity provider " + alias + " in " + realm + ": HTTP " + r.statusCode() + " " + Secrets.redact(r.asString()));
        List<String> existing = idpMappers(realm, alias);
        for (String attr : List.of("clearance", "countryOfAffiliation", "uniqueID", "acpCOI")) {
            if (existing != null && existing.contains(attr)) continue;
            Map<String, Object> mapper = Map.of("name", attr, "identityProviderAlias", alias, "identityProviderMapper", "oidc-user-attribute-idp-mapper",
                    "config", Map.of("claim", attr, "user.attribute", attr, "syncMode", "FORCE"));
            Response m = RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON).body(mapper).post(base + "/" + alias + "/mappers");
            if (m.statusCode() / 100 != 2) throw new AssertionError("creating mapper " + attr + " of " + alias + ": HTTP " + m.statusCode());
        }
    }
}
