package dive.verify.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dive.verify.report.Secrets;

import java.io.IOException;
import java.time.Duration;

/**
 * The tokens of one token-endpoint answer. Every token is registered with
 * {@link Secrets} the moment it is read; {@link #toString()} never shows one.
 */
public final class Tokens {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String accessToken;
    private final String idToken;
    private final String refreshToken;
    private final long expiresIn;
    private final long refreshExpiresIn;
    private final String tokenType;
    private final String scope;

    Tokens(String accessToken, String idToken, String refreshToken, long expiresIn, long refreshExpiresIn,
           String tokenType, String scope) {
        Secrets.register(accessToken);
        Secrets.register(idToken);
        Secrets.register(refreshToken);
        this.accessToken = accessToken;
        this.idToken = idToken;
        this.refreshToken = refreshToken;
        this.expiresIn = expiresIn;
        this.refreshExpiresIn = refreshExpiresIn;
        this.tokenType = tokenType;
        this.scope = scope;
    }

    /** Reads a successful token response; it must hold an access token. */
    static Tokens parse(String json, String what) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new OidcException(what + ": the token response is not JSON");
        }
        if (n == null || !n.isObject()) throw new OidcException(what + ": the token response is not a JSON object");
        String access = str(n, "access_token");
        String id = str(n, "id_token");
        String refresh = str(n, "refresh_token");
        Tokens t = new Tokens(access, id, refresh, n.path("expires_in").asLong(0),
                n.path("refresh_expires_in").asLong(0), str(n, "token_type"), str(n, "scope"));
        if (access == null) throw new OidcException(what + ": the token response has no access_token");
        return t;
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public String accessToken() { return accessToken; }
    /** Null when the request did not ask for {@code openid}. */
    public String idToken() { return idToken; }
    /** Null when the server issued none. */
    public String refreshToken() { return refreshToken; }
    /** Lifetime of the access token in seconds, as the server announced it. */
    public long expiresIn() { return expiresIn; }
    public Duration expiresInDuration() { return Duration.ofSeconds(expiresIn); }
    public long refreshExpiresIn() { return refreshExpiresIn; }
    public String tokenType() { return tokenType; }
    public String scope() { return scope; }

    @Override
    public String toString() {
        return "Tokens[access=" + (accessToken == null ? "none" : "***")
                + ", id=" + (idToken == null ? "none" : "***")
                + ", refresh=" + (refreshToken == null ? "none" : "***")
                + ", expiresIn=" + expiresIn + "s, scope=" + scope + "]";
    }
}
