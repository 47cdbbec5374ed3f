package dive.verify.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dive.verify.report.Secrets;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A confidential OIDC client of one realm, as the application server behind a
 * browser would be: it reads the realm's discovery document, builds
 * authorization requests, and makes the back-channel calls (code exchange,
 * refresh, password grant, logout). The redirect URI need not be served:
 * {@link BrowserSession} stops when a redirect reaches it.
 *
 * <p>The client secret is registered with the run's secret registry and is
 * never part of {@link #toString()} or any message.
 */
public final class RelyingParty {
    /** How the client authenticates at the token endpoint. */
    public enum ClientAuth { CLIENT_SECRET_POST, CLIENT_SECRET_BASIC }

    private static final HttpClient BACK_CHANNEL = OidcHttp.newClient(null);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuer;
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final ClientAuth clientAuth;
    private Discovery discovery;
    private TokenVerifier verifier;

    public RelyingParty(String issuer, String clientId, String clientSecret, String redirectUri) {
        this(issuer, clientId, clientSecret, redirectUri, ClientAuth.CLIENT_SECRET_POST);
    }

    /**
     * @param issuer       the realm's public issuer, e.g. {@code http://localhost:8443/realms/dive-v3-broker-fra}
     * @param clientId     e.g. {@code dive-v3-broker-fra}
     * @param clientSecret the confidential client's secret
     * @param redirectUri  a registered redirect URI, e.g. {@code http://localhost:1/callback} (nothing need listen)
     */
    public RelyingParty(String issuer, String clientId, String clientSecret, String redirectUri, ClientAuth clientAuth) {
        this.issuer = stripSlash(Objects.requireNonNull(issuer, "issuer"));
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.redirectUri = Objects.requireNonNull(redirectUri, "redirectUri");
        this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
        Secrets.register(clientSecret);
    }

    /** The DIVE convention: the client of realm {@code dive-v3-broker-<code>} has the realm's name as its id. */
    public static RelyingParty diveRealm(String keycloakPublicUrl, String realm, String clientSecret, String redirectUri) {
        return new RelyingParty(stripSlash(keycloakPublicUrl) + "/realms/" + realm, realm, clientSecret, redirectUri);
    }

    public String issuer() { return issuer; }
    public String clientId() { return clientId; }
    public String redirectUri() { return redirectUri; }
    public ClientAuth clientAuth() { return clientAuth; }
    /** The realm name from the issuer URL, or null. */
    public String realm() { return OidcHttp.realmOf(URI.create(issuer)); }

    /** The realm's discovery document, fetched once; it must announce exactly this issuer. */
    public synchronized Discovery discovery() {
        if (discovery == null) discovery = Discovery.fetch(BACK_CHANNEL, issuer);
        return discovery;
    }

    /** A verifier for this realm's tokens (JWKS from the discovery's {@code jwks_uri}, cached). */
    public synchronized TokenVerifier verifier() {
        if (verifier == null) verifier = new TokenVerifier(issuer, clientId, discovery().jwksUri());
        return verifier;
    }

    /** Signature, issuer and expiry of an access token of this realm. */
    public VerifiedToken verifyAccessToken(String accessToken) { return verifier().verifyAccessToken(accessToken); }

    /** Signature, issuer, expiry, audience and (if not null) nonce of an ID token of this realm. */
    public VerifiedToken verifyIdToken(String idToken, String expectedNonce) { return verifier().verifyIdToken(idToken, expectedNonce); }

    /** The authorization request a browser is sent to: code flow, PKCE S256, state, nonce, optional {@code kc_idp_hint}. */
    public URI authorizationRequest(Pkce pkce, String state, String nonce, String scope, String idpHint) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId);
        q.put("redirect_uri", redirectUri);
        q.put("scope", scope);
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", pkce.challenge());
        q.put("code_challenge_method", pkce.method());
        if (idpHint != null) q.put("kc_idp_hint", idpHint);
        URI endpoint = discovery().authorizationEndpoint();
        String sep = endpoint.getRawQuery() == null ? "?" : "&";
        return URI.create(endpoint + sep + OidcHttp.formBody(q));
    }

    /** Redeems an authorization code (with its PKCE verifier) at the token endpoint. */
    public Tokens exchangeCode(String code, String codeVerifier) {
        Secrets.register(code);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", code);
        f.put("redirect_uri", redirectUri);
        f.put("code_verifier", codeVerifier);
        return tokenRequest(f, "code exchange");
    }

    /** A refresh grant; a refused one (e.g. after logout) throws {@link TokenEndpointException} with {@code invalid_grant}. */
    public Tokens refresh(String refreshToken) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "refresh_token");
        f.put("refresh_token", Objects.requireNonNull(refreshToken, "refreshToken"));
        return tokenRequest(f, "refresh grant");
    }

    /** A resource-owner password grant at this realm (direct access grants), scope {@code openid}. */
    public Tokens passwordGrant(String username, String password) { return passwordGrant(username, password, "openid"); }

    public Tokens passwordGrant(String username, String password, String scope) {
        Secrets.register(password);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "password");
        f.put("username", username);
        f.put("password", password);
        f.put("scope", scope);
        return tokenRequest(f, "password grant for " + username);
    }

    /**
     * Ends the session the refresh token belongs to: POST to the discovery's
     * {@code end_session_endpoint} with the client's credentials and the
     * refresh token (Keycloak answers 204).
     */
    public void logout(String refreshToken) {
        URI endpoint = discovery().endSessionEndpoint();
        if (endpoint == null) throw new OidcException("logout at " + issuer + ": discovery has no end_session_endpoint");
        Map<String, String> f = new LinkedHashMap<>();
        f.put("refresh_token", Objects.requireNonNull(refreshToken, "refreshToken"));
        HttpResponse<String> r = post(endpoint, f, "logout");
        if (r.statusCode() / 100 != 2) throw refused("logout at " + OidcHttp.strip(endpoint), r);
    }

    private Tokens tokenRequest(Map<String, String> form, String what) {
        URI endpoint = discovery().tokenEndpoint();
        HttpResponse<String> r = post(endpoint, form, what);
        if (r.statusCode() != 200) throw refused(what + " at " + OidcHttp.strip(endpoint), r);
        return Tokens.parse(r.body(), what + " at " + OidcHttp.strip(endpoint));
    }

    private HttpResponse<String> post(URI endpoint, Map<String, String> fields, String what) {
        Map<String, String> f = new LinkedHashMap<>(fields);
        HttpRequest.Builder b = OidcHttp.request(endpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (clientAuth == ClientAuth.CLIENT_SECRET_BASIC) {
            String basic = OidcHttp.enc(clientId) + ":" + OidcHttp.enc(clientSecret);
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        } else {
            f.put("client_id", clientId);
            f.put("client_secret", clientSecret);
        }
        return OidcHttp.send(BACK_CHANNEL, b.POST(OidcHttp.form(f)).build(), what + " at " + issuer);
    }

    private static TokenEndpointException refused(String what, HttpResponse<String> r) {
        String error = null;
        String description = null;
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n != null && n.isObject()) {
                error = n.hasNonNull("error") ? n.get("error").asText() : null;
                description = n.hasNonNull("error_description") ? n.get("error_description").asText() : null;
            }
        } catch (IOException notJson) {
            description = "body is not JSON";
        }
        return new TokenEndpointException(what, r.statusCode(), error, description);
    }

    private static String stripSlash(String s) { return s.endsWith("/") ? s.substring(0, s.length() - 1) : s; }

    @Override
    public String toString() {
        return "RelyingParty[issuer=" + issuer + ", client=" + clientId + ", redirect=" + redirectUri + ", " + clientAuth + "]";
    }
}
