package dive.verify.probe;

import io.restassured.response.Response;

/** The OIDC discovery document of a Keycloak realm, with the issuer it must announce. */
public final class OidcDiscoveryProbe {
    private OidcDiscoveryProbe() {}

    public static Evidence discovery(String keycloakBaseUrl, String realm) {
        String url = keycloakBaseUrl + "/realms/" + realm + "/.well-known/openid-configuration";
        String what = "OIDC discovery of realm " + realm;
        try {
            Response r = HttpProbe.get(url);
            if (r.statusCode() != 200) return Evidence.failed(what, "GET " + url + " → HTTP " + r.statusCode());
            String issuer = r.jsonPath().getString("issuer");
            String token = r.jsonPath().getString("token_endpoint");
            String expected = keycloakBaseUrl + "/realms/" + realm;
            if (!expected.equals(issuer)) return Evidence.failed(what, "issuer " + issuer + ", expected " + expected);
            if (token == null || !token.startsWith(expected)) return Evidence.failed(what, "token_endpoint " + token);
            return Evidence.ok(what, "issuer " + issuer + ", token_endpoint " + token);
        } catch (Exception e) {
            return Evidence.failed(what, Evidence.message(e));
        }
    }
}
