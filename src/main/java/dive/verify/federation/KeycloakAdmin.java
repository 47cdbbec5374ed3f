package dive.verify.federation;

import dive.verify.http.Http;
import dive.verify.http.Http.Answer;
import dive.verify.report.Secrets;

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
        Answer r = Http.call("POST", baseUrl + "/realms/master/protocol/openid-connect/token")
                .form(Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", adminPassword)).send();
        String t = r.status() == 200 ? r.field("access_token") : null;
        if (t == null) {
            throw new AssertionError("Keycloak admin login at " + baseUrl + " failed: HTTP " + r.status() + " " + Secrets.redact(r.body()));
        }
        Secrets.register(t);
        return new KeycloakAdmin(baseUrl, t);
    }

    /** Aliases of the identity providers of a realm. */
    public List<String> identityProviders(String realm) {
        Answer r = as("GET", baseUrl + "/admin/realms/" + realm + "/identity-provider/instances").send();
        if (r.status() != 200) throw new AssertionError("listing identity providers of " + realm + ": HTTP " + r.status());
        return r.each("", "alias");
    }

    /** Mapper names of an identity provider. */
    public List<String> idpMappers(String realm, String alias) {
        Answer r = as("GET", baseUrl + "/admin/realms/" + realm + "/identity-provider/instances/" + alias + "/mappers").send();
        if (r.status() != 200) throw new AssertionError("listing mappers of " + alias + " in " + realm + ": HTTP " + r.status());
        return r.each("", "name");
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
        Answer r = as("POST", base).json(idp).send();
        if (r.status() == 409) r = as("PUT", base + "/" + alias).json(idp).send();
        if (!r.ok()) throw new AssertionError("creating identity provider " + alias + " in " + realm + ": HTTP " + r.status() + " " + Secrets.redact(r.body()));
        List<String> existing = idpMappers(realm, alias);
        for (String attr : ATTRIBUTES) {
            if (existing != null && existing.contains(attr)) continue;
            Map<String, Object> mapper = Map.of("name", attr, "identityProviderAlias", alias, "identityProviderMapper", "oidc-user-attribute-idp-mapper",
                    "config", Map.of("claim", attr, "user.attribute", attr, "syncMode", "FORCE"));
            Answer m = as("POST", base + "/" + alias + "/mappers").json(mapper).send();
            if (!m.ok()) throw new AssertionError("creating mapper " + attr + " of " + alias + ": HTTP " + m.status());
        }
    }

    // ---------------------------------------------------------------- reads and faults of the SSO features

    /** A call as the logged-in admin. */
    private Http.Call as(String method, String url) {
        return Http.call(method, url).bearer(token);
    }

    private static Answer expect(Answer r, String what) {
        if (!r.ok()) throw new AssertionError(what + ": HTTP " + r.status() + " " + Secrets.redact(r.body()));
        return r;
    }

    /** The answer's JSON array of objects; an answer that is no array is a broken Admin API. */
    private static List<Map<String, Object>> objects(Answer r, String what) {
        if (r.json() == null || !r.json().isArray()) throw new AssertionError(what + ": not a JSON array: " + r.describe());
        return r.objects();
    }

    private static Map<String, Object> object(Answer r, String what) {
        Map<String, Object> m = r.object();
        if (m == null) throw new AssertionError(what + ": not a JSON object: " + r.describe());
        return m;
    }

    /** An identity provider's representation, or null when the realm has none of that alias. */
    public Map<String, Object> identityProvider(String realm, String alias) {
        Answer r = as("GET", baseUrl + "/admin/realms/" + realm + "/identity-provider/instances/" + alias).send();
        if (r.status() == 404) return null;
        String what = "reading identity provider " + alias + " of " + realm;
        return object(expect(r, what), what);
    }

    public void setIdentityProviderEnabled(String realm, String alias, boolean enabled) {
        Map<String, Object> rep = new java.util.LinkedHashMap<>(identityProvider(realm, alias));
        rep.put("enabled", enabled);
        expect(as("PUT", baseUrl + "/admin/realms/" + realm + "/identity-provider/instances/" + alias).json(rep).send(),
                (enabled ? "enabling " : "disabling ") + alias + " in " + realm);
    }

    /** Removes one mapper of an identity provider. @return its representation, to restore it */
    public Map<String, Object> removeIdpMapper(String realm, String alias, String mapperName) {
        String base = baseUrl + "/admin/realms/" + realm + "/identity-provider/instances/" + alias + "/mappers";
        List<Map<String, Object>> mappers = objects(expect(as("GET", base).send(), "listing mappers of " + alias), "listing mappers of " + alias);
        Map<String, Object> m = mappers.stream().filter(x -> mapperName.equals(x.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(alias + " in " + realm + " has no mapper " + mapperName));
        expect(as("DELETE", base + "/" + m.get("id")).send(), "removing mapper " + mapperName + " of " + alias);
        Map<String, Object> restore = new java.util.LinkedHashMap<>(m);
        restore.remove("id");
        return restore;
    }

    public void addIdpMapper(String realm, String alias, Map<String, Object> mapper) {
        expect(as("POST", baseUrl + "/admin/realms/" + realm + "/identity-provider/instances/" + alias + "/mappers").json(mapper).send(),
                "adding a mapper to " + alias);
    }

    /** Deletes the users an identity provider brought into the realm. @return how many */
    public int deleteUsersBrokeredBy(String realm, String alias) {
        String what = "listing users of " + alias;
        List<Map<String, Object>> users = objects(expect(as("GET", baseUrl + "/admin/realms/" + realm + "/users")
                .query("idpAlias", alias).query("max", 1000).send(), what), what);
        for (var u : users) expect(as("DELETE", baseUrl + "/admin/realms/" + realm + "/users/" + u.get("id")).send(), "deleting a brokered user");
        return users.size();
    }

    private String clientUuid(String realm, String clientId) {
        String what = "finding client " + clientId;
        List<Map<String, Object>> cs = objects(expect(as("GET", baseUrl + "/admin/realms/" + realm + "/clients").query("clientId", clientId).send(),
                what), what);
        if (cs.isEmpty()) throw new AssertionError("realm " + realm + " has no client " + clientId);
        return String.valueOf(cs.get(0).get("id"));
    }

    private String clientScopeId(String realm, String scope) {
        List<Map<String, Object>> all = objects(expect(as("GET", baseUrl + "/admin/realms/" + realm + "/client-scopes").send(), "listing client scopes"),
                "listing client scopes");
        return all.stream().filter(x -> scope.equals(x.get("name"))).map(x -> String.valueOf(x.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("realm " + realm + " has no client scope " + scope));
    }

    /** Takes a client scope off (or puts it back on) a client's default scopes. */
    public void setDefaultClientScope(String realm, String clientId, String scope, boolean present) {
        String url = baseUrl + "/admin/realms/" + realm + "/clients/" + clientUuid(realm, clientId) + "/default-client-scopes/" + clientScopeId(realm, scope);
        expect(as(present ? "PUT" : "DELETE", url).send(), (present ? "adding " : "removing ") + "client scope " + scope + " of " + clientId);
    }

    /**
     * Sets one attribute of a client, e.g. {@code access.token.lifespan}; null
     * clears it (an update never removes attributes, so it is set empty, which
     * Keycloak reads as unset).
     */
    public void setClientAttribute(String realm, String clientId, String name, String value) {
        String url = baseUrl + "/admin/realms/" + realm + "/clients/" + clientUuid(realm, clientId);
        Map<String, Object> rep = new java.util.LinkedHashMap<>(object(expect(as("GET", url).send(), "reading client " + clientId), "reading client " + clientId));
        @SuppressWarnings("unchecked")
        Map<String, Object> attrs = new java.util.LinkedHashMap<>((Map<String, Object>) rep.getOrDefault("attributes", Map.of()));
        attrs.put(name, value == null ? "" : value);
        rep.put("attributes", attrs);
        expect(as("PUT", url).json(rep).send(), "updating client " + clientId);
    }
}
