package dive.verify.oidc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny stand-in for Keycloak 26 on one port, enough for a browser-like
 * client to walk real flows: realms with login pages (a Secure
 * AUTH_SESSION_ID cookie set on the page and required on the POST, as
 * Keycloak does), identity-provider links and {@code kc_idp_hint} brokering to
 * another realm, SSO sessions in a Secure KEYCLOAK_IDENTITY cookie, codes
 * bound to PKCE, RS256 tokens and a JWKS, refresh, password grant and logout.
 */
final class FakeKeycloak implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final HttpServer server;
    final String base;
    final Map<String, Realm> realms = new ConcurrentHashMap<>();
    /** Every request, as "METHOD path" (no query), in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();

    record User(String password, Map<String, Object> attributes) {}
    record Pending(String clientId, String redirectUri, String state, String nonce, String challenge, String scope) {}
    record Grant(String username, String clientId, String redirectUri, String nonce, String challenge, String sid) {}
    record Refresh(String username, String clientId, String sid) {}

    final class Realm {
        final String name;
        final RSAKey key;
        final Map<String, User> users = new ConcurrentHashMap<>();
        final Map<String, String> clients = new ConcurrentHashMap<>();          // clientId -> secret
        final Map<String, String> idps = new LinkedHashMap<>();                 // alias -> upstream realm
        final Set<String> scopes = ConcurrentHashMap.newKeySet();
        final Map<String, Pending> authSessions = new ConcurrentHashMap<>();
        final Map<String, String> ssoSessions = new ConcurrentHashMap<>();      // sid -> username
        final Map<String, Grant> codes = new ConcurrentHashMap<>();
        final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();
        volatile boolean reviewProfileOnBrokerLogin;
        volatile boolean answerWithWrongState;
        volatile String lastClientAuth;

        Realm(String name) throws JOSEException {
            this.name = name;
            this.key = new RSAKeyGenerator(2048).keyID(name + "-rs256").generate();
            scopes.addAll(List.of("openid", "profile", "email"));
        }

        String issuer() { return base + "/realms/" + name; }

        Realm user(String username, String password, Map<String, Object> attributes) {
            users.put(username, new User(password, attributes));
            return this;
        }

        Realm client(String clientId, String secret) { clients.put(clientId, secret); return this; }

        /** This realm trusts realm {@code upstream} as identity provider {@code alias}. */
        Realm idp(String alias, String upstream) {
            idps.put(alias, upstream);
            realms.get(upstream).client(brokerClient(), "broker-secret-" + name);
            return this;
        }

        String brokerClient() { return "broker-" + name; }
        String brokerEndpoint(String alias) { return issuer() + "/broker/" + alias + "/endpoint"; }
    }

    FakeKeycloak() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        base = "http://localhost:" + server.getAddress().getPort();
        server.createContext("/realms/", this::handle);
        server.start();
    }

    Realm realm(String name) throws JOSEException {
        Realm r = new Realm(name);
        realms.put(name, r);
        return r;
    }

    @Override public void close() { server.stop(0); }

    // --- routing -----------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try {
            URI uri = ex.getRequestURI();
            requests.add(ex.getRequestMethod() + " " + uri.getPath());
            String[] p = uri.getPath().split("/");       // "", "realms", name, ...
            Realm realm = p.length > 2 ? realms.get(p[2]) : null;
            if (realm == null) { html(ex, 404, errorPage("Realm does not exist")); return; }
            String rest = String.join("/", java.util.Arrays.copyOfRange(p, 3, p.length));
            switch (rest) {
                case ".well-known/openid-configuration" -> discovery(ex, realm);
                case "protocol/openid-connect/certs" ->
                        send(ex, 200, "application/json", new JWKSet(realm.key.toPublicJWK()).toString());
                case "protocol/openid-connect/auth" -> auth(ex, realm);
                case "login-actions/authenticate" -> authenticate(ex, realm);
                case "protocol/openid-connect/token" -> token(ex, realm);
                case "protocol/openid-connect/logout" -> logout(ex, realm);
                default -> {
                    if (p.length == 6 && p[3].equals("broker") && p[5].equals("login")) brokerLogin(ex, realm, p[4]);
                    else if (p.length == 6 && p[3].equals("broker") && p[5].equals("endpoint")) brokerEndpoint(ex, realm, p[4]);
                    else html(ex, 404, errorPage("Page not found"));
                }
            }
        } catch (Exception e) {
            send(ex, 500, "text/plain", "fake keycloak: " + e);
        } finally {
            ex.close();
        }
    }

    private void discovery(HttpExchange ex, Realm r) throws IOException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", r.issuer());
        d.put("authorization_endpoint", r.issuer() + "/protocol/openid-connect/auth");
        d.put("token_endpoint", r.issuer() + "/protocol/openid-connect/token");
        d.put("jwks_uri", r.issuer() + "/protocol/openid-connect/certs");
        d.put("end_session_endpoint", r.issuer() + "/protocol/openid-connect/logout");
        d.put("userinfo_endpoint", r.issuer() + "/protocol/openid-connect/userinfo");
        send(ex, 200, "application/json", JSON.writeValueAsString(d));
    }

    // --- front channel -----------------------------------------------------------------

    private void auth(HttpExchange ex, Realm r) throws IOException {
        Map<String, String> q = BrowserSession.query(ex.getRequestURI().getRawQuery());
        String clientId = q.get("client_id");
        if (!r.clients.containsKey(clientId)) { html(ex, 400, errorPage("Client not found.")); return; }
        String redirect = q.get("redirect_uri");
        if (redirect == null || !redirect.startsWith(expectedRedirectPrefix(r, clientId))) {
            html(ex, 400, errorPage("Invalid parameter: redirect_uri"));
            return;
        }
        String scope = q.getOrDefault("scope", "openid");
        List<String> unknown = new ArrayList<>();
        for (String s : scope.split(" ")) if (!r.scopes.contains(s)) unknown.add(s);
        if (!unknown.isEmpty()) {
            redirect(ex, redirect + "?error=invalid_scope&error_description=" + enc("Invalid scopes: " + scope)
                    + "&state=" + enc(q.get("state")));
            return;
        }
        Pending pending = new Pending(clientId, redirect, q.get("state"), q.get("nonce"), q.get("code_challenge"), scope);

        String sid = cookie(ex, "KEYCLOAK_IDENTITY");
        if (sid != null && r.ssoSessions.containsKey(sid)) {       // SSO: no page at all
            complete(ex, r, pending, r.ssoSessions.get(sid), sid);
            return;
        }
        String session = UUID.randomUUID().toString();
        r.authSessions.put(session, pending);
        ex.getResponseHeaders().add("Set-Cookie", "AUTH_SESSION_ID=" + session + "; Version=1; Path=/realms/" + r.name
                + "/; SameSite=None; Secure; HttpOnly");
        ex.getResponseHeaders().add("Set-Cookie", "KC_RESTART=restart-" + session + "; Version=1; Path=/realms/" + r.name
                + "/; Secure; HttpOnly");
        String hint = q.get("kc_idp_hint");
        if (hint != null && r.idps.containsKey(hint)) {
            redirect(ex, "/realms/" + r.name + "/broker/" + hint + "/login?session_code=" + session + "&client_id=" + enc(clientId));
            return;
        }
        html(ex, 200, loginPage(r, session, null, ""));
    }

    private String expectedRedirectPrefix(Realm r, String clientId) {
        for (Map.Entry<String, String> idp : idpsTrusting(r).entrySet()) {
            Realm downstream = realms.get(idp.getValue());
            if (downstream.brokerClient().equals(clientId)) return downstream.brokerEndpoint(idp.getKey());
        }
        return "http://localhost:1/callback";
    }

    /** alias -> downstream realm name, for each realm that has {@code r} as identity provider. */
    private Map<String, String> idpsTrusting(Realm r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Realm d : realms.values()) d.idps.forEach((alias, up) -> { if (up.equals(r.name)) out.put(alias, d.name); });
        return out;
    }

    private void authenticate(HttpExchange ex, Realm r) throws IOException {
        Map<String, String> q = BrowserSession.query(ex.getRequestURI().getRawQuery());
        String session = q.get("session_code");
        if (!"POST".equals(ex.getRequestMethod())) { html(ex, 405, errorPage("Method not allowed")); return; }
        if (session == null || !session.equals(cookie(ex, "AUTH_SESSION_ID")) || !r.authSessions.containsKey(session)) {
            html(ex, 400, errorPage("Cookie not found. Please make sure cookies are enabled in your browser."));
            return;
        }
        Map<String, String> form = BrowserSession.query(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!form.containsKey("credentialId")) { html(ex, 400, errorPage("Hidden input credentialId missing")); return; }
        String username = form.getOrDefault("username", "");
        User user = r.users.get(username);
        if (user == null || !user.password().equals(form.get("password"))) {
            html(ex, 200, loginPage(r, session, "Invalid username or password.", username));
            return;
        }
        Pending pending = r.authSessions.remove(session);
        String sid = UUID.randomUUID().toString();
        r.ssoSessions.put(sid, username);
        setIdentity(ex, r, sid);
        complete(ex, r, pending, username, sid);
    }

    private void setIdentity(HttpExchange ex, Realm r, String sid) {
        ex.getResponseHeaders().add("Set-Cookie", "KEYCLOAK_IDENTITY=" + sid + "; Version=1; Path=/realms/" + r.name
                + "/; SameSite=None; Secure; HttpOnly");
        ex.getResponseHeaders().add("Set-Cookie", "KC_RESTART=; Version=1; Comment=Expiring cookie; Expires=Thu, 01-Jan-1970 00:00:10 GMT; "
                + "Max-Age=0; Path=/realms/" + r.name + "/; Secure; HttpOnly");
    }

    /** Issues a code to the client of the pending request and redirects the browser there. */
    private void complete(HttpExchange ex, Realm r, Pending pending, String username, String sid) throws IOException {
        String code = UUID.randomUUID() + "." + sid;
        r.codes.put(code, new Grant(username, pending.clientId(), pending.redirectUri(), pending.nonce(), pending.challenge(), sid));
        String state = r.answerWithWrongState ? "tampered" : pending.state();
        redirect(ex, pending.redirectUri() + "?state=" + enc(state) + "&session_state=" + sid + "&iss=" + enc(r.issuer())
                + "&code=" + enc(code));
    }

    private void brokerLogin(HttpExchange ex, Realm r, String alias) throws IOException {
        Map<String, String> q = BrowserSession.query(ex.getRequestURI().getRawQuery());
        String session = q.get("session_code");
        if (session == null || !session.equals(cookie(ex, "AUTH_SESSION_ID")) || !r.authSessions.containsKey(session)) {
            html(ex, 400, errorPage("Cookie not found. Please make sure cookies are enabled in your browser."));
            return;
        }
        Realm up = realms.get(r.idps.get(alias));
        if (up == null) { html(ex, 400, errorPage("Could not find an identity provider " + alias)); return; }
        redirect(ex, up.issuer() + "/protocol/openid-connect/auth?response_type=code&client_id=" + enc(r.brokerClient())
                + "&redirect_uri=" + enc(r.brokerEndpoint(alias)) + "&scope=openid&state=" + enc(session) + "&nonce=n");
    }

    private void brokerEndpoint(HttpExchange ex, Realm r, String alias) throws IOException {
        Map<String, String> q = BrowserSession.query(ex.getRequestURI().getRawQuery());
        String session = q.get("state");
        Pending pending = session == null ? null : r.authSessions.remove(session);
        if (pending == null || !session.equals(cookie(ex, "AUTH_SESSION_ID"))) {
            html(ex, 400, errorPage("Cookie not found. Please make sure cookies are enabled in your browser."));
            return;
        }
        Realm up = realms.get(r.idps.get(alias));
        Grant upstream = up.codes.remove(q.getOrDefault("code", ""));      // what a token exchange would tell
        if (upstream == null) { html(ex, 400, errorPage("Unexpected error when authenticating with identity provider")); return; }
        if (r.reviewProfileOnBrokerLogin) { html(ex, 200, reviewProfilePage(r)); return; }
        String brokered = upstream.username();
        r.users.putIfAbsent(brokered, new User(UUID.randomUUID().toString(), up.users.get(brokered).attributes()));
        String sid = UUID.randomUUID().toString();
        r.ssoSessions.put(sid, brokered);
        setIdentity(ex, r, sid);
        complete(ex, r, pending, brokered, sid);
    }

    // --- back channel ------------------------------------------------------------------

    private void token(HttpExchange ex, Realm r) throws IOException, JOSEException {
        Map<String, String> f = BrowserSession.query(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String clientId = authenticateClient(ex, r, f);
        if (clientId == null) { oauthError(ex, 401, "unauthorized_client", "Invalid client or Invalid client credentials"); return; }
        switch (f.getOrDefault("grant_type", "")) {
            case "authorization_code" -> {
                Grant g = r.codes.remove(f.getOrDefault("code", ""));
                if (g == null || !g.clientId().equals(clientId)) { oauthError(ex, 400, "invalid_grant", "Code not valid"); return; }
                if (!g.redirectUri().equals(f.get("redirect_uri"))) { oauthError(ex, 400, "invalid_grant", "Incorrect redirect_uri"); return; }
                if (g.challenge() != null && (f.get("code_verifier") == null || !Pkce.s256(f.get("code_verifier")).equals(g.challenge()))) {
                    oauthError(ex, 400, "invalid_grant", "PKCE verification failed: Code mismatch");
                    return;
                }
                tokens(ex, r, g.username(), clientId, g.nonce(), g.sid());
            }
            case "refresh_token" -> {
                Refresh rt = r.refreshTokens.remove(f.getOrDefault("refresh_token", ""));
                if (rt == null || !r.ssoSessions.containsKey(rt.sid())) { oauthError(ex, 400, "invalid_grant", "Token is not active"); return; }
                tokens(ex, r, rt.username(), clientId, null, rt.sid());
            }
            case "password" -> {
                User u = r.users.get(f.getOrDefault("username", ""));
                if (u == null || !u.password().equals(f.get("password"))) { oauthError(ex, 401, "invalid_grant", "Invalid user credentials"); return; }
                String sid = UUID.randomUUID().toString();
                r.ssoSessions.put(sid, f.get("username"));
                tokens(ex, r, f.get("username"), clientId, null, sid);
            }
            default -> oauthError(ex, 400, "unsupported_grant_type", "Unsupported grant_type");
        }
    }

    private void logout(HttpExchange ex, Realm r) throws IOException {
        Map<String, String> f = BrowserSession.query(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (authenticateClient(ex, r, f) == null) { oauthError(ex, 401, "unauthorized_client", "Invalid client credentials"); return; }
        Refresh rt = r.refreshTokens.get(f.getOrDefault("refresh_token", ""));
        if (rt == null || r.ssoSessions.remove(rt.sid()) == null) { oauthError(ex, 400, "invalid_grant", "Invalid refresh token"); return; }
        r.refreshTokens.values().removeIf(x -> x.sid().equals(rt.sid()));
        ex.sendResponseHeaders(204, -1);
    }

    private String authenticateClient(HttpExchange ex, Realm r, Map<String, String> f) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String id = f.get("client_id");
        String secret = f.get("client_secret");
        r.lastClientAuth = "post";
        if (auth != null && auth.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            id = java.net.URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8);
            r.lastClientAuth = "basic";
        }
        return id != null && secret != null && secret.equals(r.clients.get(id)) ? id : null;
    }

    private void tokens(HttpExchange ex, Realm r, String username, String clientId, String nonce, String sid) throws IOException, JOSEException {
        Instant now = Instant.now();
        Map<String, Object> attrs = r.users.get(username).attributes();
        JWTClaimsSet.Builder common = new JWTClaimsSet.Builder()
                .issuer(r.issuer()).subject("sub-" + username).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString())
                .claim("azp", clientId).claim("sid", sid).claim("preferred_username", username);
        attrs.forEach(common::claim);
        JWTClaimsSet access = new JWTClaimsSet.Builder(common.build()).audience("account").claim("typ", "Bearer").build();
        JWTClaimsSet id = new JWTClaimsSet.Builder(common.build()).audience(clientId).claim("typ", "ID").claim("nonce", nonce).build();
        String refresh = "rt-" + UUID.randomUUID();
        r.refreshTokens.put(refresh, new Refresh(username, clientId, sid));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", sign(r, access));
        body.put("expires_in", 300);
        body.put("refresh_expires_in", 1800);
        body.put("refresh_token", refresh);
        body.put("token_type", "Bearer");
        body.put("id_token", sign(r, id));
        body.put("session_state", sid);
        body.put("scope", "openid profile email");
        send(ex, 200, "application/json", JSON.writeValueAsString(body));
    }

    String sign(Realm r, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(r.key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(r.key));
        return jwt.serialize();
    }

    private void oauthError(HttpExchange ex, int status, String error, String description) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsString(Map.of("error", error, "error_description", description)));
    }

    // --- pages -------------------------------------------------------------------------

    private String loginPage(Realm r, String session, String error, String username) {
        StringBuilder social = new StringBuilder();
        for (String alias : r.idps.keySet()) {
            social.append("<li><a id=\"social-").append(alias).append("\" class=\"pf-v5-c-button pf-m-secondary pf-m-block\" type=\"button\" href=\"/realms/")
                    .append(r.name).append("/broker/").append(alias).append("/login?client_id=x&amp;tab_id=T1&amp;session_code=").append(session)
                    .append("\"><span>").append(alias).append("</span></a></li>");
        }
        String alert = error == null ? "" : "<div class=\"pf-v5-c-alert pf-m-danger\"><span class=\"kc-feedback-text\">" + error + "</span></div>";
        return "<!DOCTYPE html><html><head><title>Sign in to " + r.name + "</title></head><body>"
                + "<h1 id=\"kc-page-title\">Sign in to your account</h1>" + alert
                + "<form id=\"kc-form-login\" onsubmit=\"login.disabled = true; return true;\" action=\"" + r.issuer()
                + "/login-actions/authenticate?session_code=" + session + "&amp;execution=e1&amp;tab_id=T1\" method=\"post\">"
                + "<input id=\"username\" name=\"username\" value=\"" + username + "\" type=\"text\"/>"
                + "<input id=\"password\" name=\"password\" type=\"password\"/>"
                + "<input type=\"hidden\" id=\"id-hidden-input\" name=\"credentialId\"/>"
                + "<button name=\"login\" id=\"kc-login\" type=\"submit\">Sign In</button></form>"
                + (social.length() == 0 ? "" : "<div id=\"kc-social-providers\"><ul>" + social + "</ul></div>")
                + "</body></html>";
    }

    private static String errorPage(String message) {
        return "<!DOCTYPE html><html><head><title>Error</title></head><body><h1 id=\"kc-page-title\">We are sorry...</h1>"
                + "<div id=\"kc-error-message\"><p class=\"instruction\">" + message + "</p></div></body></html>";
    }

    private static String reviewProfilePage(Realm r) {
        return "<!DOCTYPE html><html><head><title>Sign in to " + r.name + "</title></head><body>"
                + "<h1 id=\"kc-page-title\">Update Account Information</h1>"
                + "<form id=\"kc-idp-review-profile-form\" action=\"" + r.issuer() + "/login-actions/first-broker-login\" method=\"post\">"
                + "<input name=\"email\"/></form></body></html>";
    }

    // --- plumbing ----------------------------------------------------------------------

    private static String cookie(HttpExchange ex, String name) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) return null;
        for (String h : headers) {
            for (String part : h.split(";")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(name)) return kv[1];
            }
        }
        return null;
    }

    private static String enc(String s) { return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8); }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
    }

    private static void html(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, "text/html;charset=utf-8", body);
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) { out.write(b); }
    }
}
