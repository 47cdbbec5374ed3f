package dive.reference.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hub's Keycloak Admin REST API, just enough to broker a spoke realm: an OIDC identity provider plus one
 * attribute importer mapper per DIVE attribute. Passwords, secrets and tokens never appear in exception messages.
 */
public final class KeycloakAdmin {
    public static final String DEPENDENCY = "Keycloak";
    public static final List<String> ATTRIBUTES = List.of("clearance", "countryOfAffiliation", "uniqueID", "acpCOI",
            "organizationType");
    public static final String DEFAULT_SCOPE = "openid profile email clearance countryOfAffiliation uniqueID acpCOI";

    /** What the hub's identity provider for one spoke points at. */
    public record IdpSpec(String alias, String displayName, String issuer, String internalRealmUrl, String clientId,
                          String clientSecret) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String baseUrl;
    private final String adminRealm;
    private final String user;
    private final String password;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

    public KeycloakAdmin(String baseUrl, String adminRealm, String user, String password) {
        this.baseUrl = baseUrl;
        this.adminRealm = adminRealm;
        this.user = user;
        this.password = password;
    }

    /** Creates (or, when the alias exists, updates) the identity provider and its four mappers. */
    public void ensureIdentityProvider(String realm, IdpSpec spec) throws DependencyException {
        String token = adminToken();
        String idps = "/admin/realms/" + enc(realm) + "/identity-provider/instances";
        Map<String, Object> rep = idpRepresentation(spec);
        HttpResponse<byte[]> created = send("POST", idps, token, rep);
        boolean createdNow;
        if (created.statusCode() == 201) {
            createdNow = true;
        } else if (created.statusCode() == 409) {
            createdNow = false;
            expect(send("PUT", idps + "/" + enc(spec.alias()), token, rep), "update identity provider " + spec.alias());
        } else {
            throw fail(created, "create identity provider " + spec.alias() + " in realm " + realm);
        }
        try {
            String mappers = idps + "/" + enc(spec.alias()) + "/mappers";
            Set<String> existing = new HashSet<>();
            if (!createdNow) {
                HttpResponse<byte[]> list = expect(send("GET", mappers, token, null), "list mappers of " + spec.alias());
                for (JsonNode m : readJson(list.body())) {
                    existing.add(m.path("name").asText());
                }
            }
            for (String attr : ATTRIBUTES) {
                if (!existing.contains(attr)) {
                    expect(send("POST", mappers, token, mapperRepresentation(spec.alias(), attr)),
                            "create mapper " + attr + " of " + spec.alias());
                }
            }
        } catch (DependencyException e) {
            if (createdNow) { // leave nothing half-done
                try {
                    send("DELETE", idps + "/" + enc(spec.alias()), token, null);
                } catch (DependencyException ignored) {
                    // best effort
                }
            }
            throw e;
        }
    }

    static Map<String, Object> idpRepresentation(IdpSpec spec) {
        String issuer = FederationConfig.trimSlash(spec.issuer());
        String internal = FederationConfig.trimSlash(spec.internalRealmUrl());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("authorizationUrl", issuer + "/protocol/openid-connect/auth");
        config.put("tokenUrl", internal + "/protocol/openid-connect/token");
        config.put("userInfoUrl", internal + "/protocol/openid-connect/userinfo");
        config.put("jwksUrl", internal + "/protocol/openid-connect/certs");
        config.put("logoutUrl", issuer + "/protocol/openid-connect/logout");
        config.put("issuer", issuer);
        config.put("clientId", spec.clientId());
        if (spec.clientSecret() != null) {
            config.put("clientSecret", spec.clientSecret());
        }
        config.put("clientAuthMethod", "client_secret_post");
        config.put("defaultScope", DEFAULT_SCOPE);
        config.put("syncMode", "FORCE");
        config.put("validateSignature", "true");
        config.put("useJwksUrl", "true");
        config.put("backchannelSupported", "false");
        config.put("pkceEnabled", "false");
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("alias", spec.alias());
        rep.put("displayName", spec.displayName());
        rep.put("providerId", "oidc");
        rep.put("enabled", true);
        rep.put("trustEmail", true);
        rep.put("storeToken", false);
        rep.put("firstBrokerLoginFlowAlias", "first broker login");
        rep.put("config", config);
        return rep;
    }

    static Map<String, Object> mapperRepresentation(String alias, String attribute) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("claim", attribute);
        config.put("user.attribute", attribute);
        config.put("syncMode", "FORCE");
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("name", attribute);
        rep.put("identityProviderAlias", alias);
        rep.put("identityProviderMapper", "oidc-user-attribute-idp-mapper");
        rep.put("config", config);
        return rep;
    }

    private String adminToken() throws DependencyException {
        if (baseUrl == null || password == null) {
            throw new DependencyException(DEPENDENCY, "KEYCLOAK_ADMIN_URL or KEYCLOAK_ADMIN_PASSWORD not set");
        }
        String form = "grant_type=password&client_id=admin-cli&username=" + enc(user) + "&password=" + enc(password);
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUrl + "/realms/" + enc(adminRealm)
                        + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<byte[]> resp = exchange(req, "admin login");
        if (resp.statusCode() != 200) {
            throw new DependencyException(DEPENDENCY, "Keycloak admin login (realm " + adminRealm + ", user " + user
                    + ") answered HTTP " + resp.statusCode());
        }
        JsonNode t = readJson(resp.body()).get("access_token");
        if (t == null || !t.isTextual()) {
            throw new DependencyException(DEPENDENCY, "Keycloak admin login answered without access_token");
        }
        return t.asText();
    }

    private HttpResponse<byte[]> send(String method, String path, String token, Object body) throws DependencyException {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (Exception e) {
            throw new DependencyException(DEPENDENCY, "cannot serialise request for " + path);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .method(method, publisher);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return exchange(b.build(), method + " " + path);
    }

    private HttpResponse<byte[]> exchange(HttpRequest req, String what) throws DependencyException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyException(DEPENDENCY, "Keycloak call interrupted (" + what + ")");
        } catch (Exception e) {
            throw new DependencyException(DEPENDENCY, "Keycloak unreachable at " + baseUrl + " (" + what + "): "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    private static HttpResponse<byte[]> expect(HttpResponse<byte[]> resp, String what) throws DependencyException {
        if (resp.statusCode() / 100 != 2) {
            throw fail(resp, what);
        }
        return resp;
    }

    private static DependencyException fail(HttpResponse<byte[]> resp, String what) {
        String detail = "";
        try {
            JsonNode b = JSON.readTree(resp.body());
            JsonNode m = b == null ? null : (b.has("errorMessage") ? b.get("errorMessage") : b.get("error"));
            if (m != null && m.isTextual()) {
                detail = ": " + MongoStore.oneLine(new RuntimeException(m.asText()));
            }
        } catch (Exception ignored) {
            // no JSON body
        }
        return new DependencyException(DEPENDENCY, "Keycloak could not " + what + " (HTTP " + resp.statusCode() + ")"
                + detail);
    }

    private static JsonNode readJson(byte[] body) throws DependencyException {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null) {
                throw new DependencyException(DEPENDENCY, "Keycloak answered with an empty body");
            }
            return n;
        } catch (DependencyException e) {
            throw e;
        } catch (Exception e) {
            throw new DependencyException(DEPENDENCY, "Keycloak answered with invalid JSON");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
