package dive.verify.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;

/**
 * The endpoints a realm announces at {@code <issuer>/.well-known/openid-configuration}.
 * With Keycloak behind Docker they are the browser-facing URLs (the public
 * hostname), reachable from the host that runs the harness.
 */
public record Discovery(String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri,
                        URI endSessionEndpoint, URI userinfoEndpoint) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Fetches and checks the document: it must announce exactly {@code issuer}. */
    static Discovery fetch(HttpClient client, String issuer) {
        URI url = URI.create(issuer + "/.well-known/openid-configuration");
        HttpResponse<String> r = OidcHttp.send(client, OidcHttp.request(url).header("Accept", "application/json").GET().build(),
                "OIDC discovery");
        if (r.statusCode() != 200) {
            throw new OidcException("OIDC discovery: GET " + url + " answered HTTP " + r.statusCode());
        }
        Discovery d = parse(r.body(), url);
        if (!issuer.equals(d.issuer())) {
            throw new OidcException("OIDC discovery: " + url + " announces issuer " + d.issuer() + ", expected " + issuer);
        }
        return d;
    }

    static Discovery parse(String json, URI from) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new OidcException("OIDC discovery: " + from + " is not JSON: " + e.getClass().getSimpleName());
        }
        return new Discovery(text(n, "issuer", from, true),
                uri(n, "authorization_endpoint", from, true),
                uri(n, "token_endpoint", from, true),
                uri(n, "jwks_uri", from, true),
                uri(n, "end_session_endpoint", from, false),
                uri(n, "userinfo_endpoint", from, false));
    }

    private static String text(JsonNode n, String field, URI from, boolean required) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            if (required) throw new OidcException("OIDC discovery: " + from + " has no " + field);
            return null;
        }
        return v.asText();
    }

    private static URI uri(JsonNode n, String field, URI from, boolean required) {
        String s = text(n, field, from, required);
        return s == null ? null : URI.create(s);
    }
}
