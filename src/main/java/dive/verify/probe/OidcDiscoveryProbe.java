package dive.verify.probe;

import dive.verify.http.Http;

/** The OIDC discovery document of a Keycloak realm, with the issuer it must announce. */
public final class OidcDiscoveryProbe {
    private OidcDiscoveryProbe() {}

    public static Evidence discovery(String keycloakBaseUrl, String realm) {
        String url = keycloakBaseUrl + "/realms/" + realm + "/.well-known/openid-configuration";
        String what = "OIDC discovery of realm " + realm;
        Http.Answer r = HttpProbe.get(url);
        if (!r.answered()) return Evidence.failed(what, r.body());
        if (r.status() != 200) return Evidence.failed(what, "GET " + url + " → HTTP " + r.status());
        String issuer = r.field("issuer");
        String token = r.field("token_endpoint");
        String expected = keycloakBaseUrl + "/realms/" + realm;
        if (!expected.equals(issuer)) return Evidence.failed(what, "issuer " + issuer + ", expected " + expected);
        if (token == null || !token.startsWith(expected)) return Evidence.failed(what, "token_endpoint " + token);
        return Evidence.ok(what, "issuer " + issuer + ", token_endpoint " + token);
    }
}
