package dive.verify.federation;

import dive.verify.report.Secrets;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.List;
import java.util.Map;

/** The few Keycloak Admin REST calls the harness makes itself (reading state, and the spoke side of brokering). */
public final class KeycloakAdmin {
    /** The DIVE attributes every brokered identity provider imports, one mapper each. */
    public static final List<String> ATTRIBUTES = List.of("clearance", "countryOfAffiliation", "uniqueID", "acpCOI", "organizationType");
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
        for (String attr : ATTRIBUTES) {
            if (existing != null && existing.contains(attr)) continue;
            Map<String, Object> mapper = Map.of("name", attr, "identityProviderAlias", alias, "identityProviderMapper", "oidc-user-attribute-idp-mapper",
                    "config", Map.of("claim", attr, "user.attribute", attr, "syncMode", "FORCE"));
            Response m = RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON).body(mapper).post(base + "/" + alias + "/mappers");
            if (m.statusCode() / 100 != 2) throw new AssertionError("creating mapper " + attr + " of " + alias + ": HTTP " + m.statusCode());
        }
    }

    // ---------------------------------------------------------------- reads and faults of the SSO features

    private io.restassured.specification.RequestSpecification as() {
        return RestAssured.given().auth().oauth2(token);
    }

    private static Response expect(Response r, String what) {
        if (r.statusCode() / 100 != 2) throw new AssertionError(what + ": HTTP " + r.statusCode() + " " + Secrets.redact(r.asString()));
        return r;
    }

    /** An identity provider's representation, or null when the realm has none of that alias. */
    public Map<String, Object> identityProvider(String realm, String alias) {
        Response r = as().get(baseUrl + "/admin/realms/" + realm + "/identity-provider/instances/" + alias);
        if (r.statusCode() == 404) return null;
        return expect(r, "reading identity provider " + alias + " of " + realm).jsonPath().getMap("$");
    }

    public void setIdentityProviderEnabled(String realm, String alias, boolean enabled) {
        Map<String, Object> rep = new java.util.LinkedHashMap<>(identityProvider(realm, alias));
        rep.put("enabled", enabled);
        expect(as().contentType(ContentType.JSON).body(rep).put(baseUrl + "/admin/realms/" + realm + "/identity-provider/instances/" + alias),
                (enabled ? "enabling " : "disabling ") + alias + " in " + realm);
    }

    /** Removes one mapper of an identity provider. @return its representation, to restore it */
    public Map<String, Object> removeIdpMapper(String realm, String alias, String mapperName) {
        String base = baseUrl + "/admin/realms/" + realm + "/identity-provider/instances/" + alias + "/mappers";
        List<Map<String, Object>> mappers = expect(as().get(base), "listing mappers of " + alias).jsonPath().getList("$");
        Map<String, Object> m = mappers.stream().filter(x -> mapperName.equals(x.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(alias + " in " + realm + " has no mapper " + mapperName));
        expect(as().delete(base + "/" + m.get("id")), "removing mapper " + mapperName + " of " + alias);
        Map<String, Object> restore = new java.util.LinkedHashMap<>(m);
        restore.remove("id");
        return restore;
    }

    public void addIdpMapper(String realm, String alias, Map<String, Object> mapper) {
        expect(as().contentType(ContentType.JSON).body(mapper)
                .post(baseUrl + "/admin/realms/" + realm + "/identity-provider/instances/" + alias + "/mappers"), "adding a mapper to " + alias);
    }

    /** Deletes the users an identity provider brought into the realm. @return how many */
    public int deleteUsersBrokeredBy(String realm, String alias) {
        List<Map<String, Object>> users = expect(as().queryParam("idpAlias", alias).queryParam("max", 1000)
                .get(baseUrl + "/admin/realms/" + realm + "/users"), "listing users of " + alias).jsonPath().getList("$");
        for (var u : users) expect(as().delete(baseUrl + "/admin/realms/" + realm + "/users/" + u.get("id")), "deleting a brokered user");
        return users.size();
    }

    private String clientUuid(String realm, String clientId) {
        List<Map<String, Object>> cs = expect(as().queryParam("clientId", clientId).get(baseUrl + "/admin/realms/" + realm + "/clients"),
                "finding client " + clientId).jsonPath().getList("$");
        if (cs.isEmpty()) throw new AssertionError("realm " + realm + " has no client " + clientId);
        return String.valueOf(cs.get(0).get("id"));
    }

    private String clientScopeId(String realm, String scope) {
        List<Map<String, Object>> all = expect(as().get(baseUrl + "/admin/realms/" + realm + "/client-scopes"), "listing client scopes").jsonPath().getList("$");
        return all.stream().filter(x -> scope.equals(x.get("name"))).map(x -> String.valueOf(x.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("realm " + realm + " has no client scope " + scope));
    }

    /** Takes a client scope off (or puts it back on) a client's default scopes. */
    public void setDefaultClientScope(String realm, String clientId, String scope, boolean present) {
        String url = baseUrl + "/admin/realms/" + realm + "/clients/" + clientUuid(realm, clientId) + "/default-client-scopes/" + clientScopeId(realm, scope);
        expect(present ? as().put(url) : as().delete(url), (present ? "adding " : "removing ") + "client scope " + scope + " of " + clientId);
    }

    /**
     * Sets one attribute of a client, e.g. {@code access.token.lifespan}; null
     * clears it (an update never removes attributes, so it is set empty, which
     * Keycloak reads as unset).
     */
    public void setClientAttribute(String realm, String clientId, String name, String value) {
        String url = baseUrl + "/admin/realms/" + realm + "/clients/" + clientUuid(realm, clientId);
        Map<String, Object> rep = new java.util.LinkedHashMap<>(expect(as().get(url), "reading client " + clientId).jsonPath().getMap("$"));
        @SuppressWarnings("unchecked")
        Map<String, Object> attrs = new java.util.LinkedHashMap<>((Map<String, Object>) rep.getOrDefault("attributes", Map.of()));
        attrs.put(name, value == null ? "" : value);
        rep.put("attributes", attrs);
        expect(as().contentType(ContentType.JSON).body(rep).put(url), "updating client " + clientId);
    }
}
