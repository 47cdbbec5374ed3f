package dive.verify.oidc;

import dive.verify.report.Secrets;
import org.jsoup.Connection;
import org.jsoup.nodes.FormElement;

import java.net.CookieHandler;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One person with one browser: a {@link CookieJar} and an HTTP client that
 * follows no redirect by itself. {@link #login} walks an authorization-code
 * flow (PKCE, state, nonce) page by page as a person would: it follows each
 * redirect, fills a Keycloak login form or clicks an identity-provider link as
 * the {@link LoginPlan} says, and stops at the first page it cannot handle,
 * naming it. Sessions live in the cookie jar, so a second login through a
 * realm that already knows this person shows no password form.
 *
 * <p>Not thread-safe: one person does one thing at a time. Use one session per
 * simulated person (and a new one for "a new browser").
 */
public final class BrowserSession {
    /** A login that takes more requests than this is going round in circles. */
    static final int MAX_REQUESTS = 40;

    private final CookieJar cookies;
    private final HttpClient client;

    public BrowserSession() { this(new CookieJar()); }

    public BrowserSession(CookieJar cookies) {
        this(cookies, cookies);
    }

    private BrowserSession(CookieJar jar, CookieHandler handler) {
        this.cookies = jar;
        this.client = OidcHttp.newClient(handler);
    }

    /** For tests: a browser with another cookie store (e.g. the JDK's CookieManager, to show what it breaks). */
    static BrowserSession withCookieHandler(CookieHandler handler) { return new BrowserSession(null, handler); }

    /** This person's cookies. */
    public CookieJar cookies() { return cookies; }

    /**
     * Signs in at {@code rp}'s realm as {@code plan} says and redeems the code.
     *
     * @throws LoginFailedException a page or redirect the plan cannot get past (login error, review-profile,
     *                              error page, {@code error=} on the callback, state mismatch, ...)
     * @throws TokenEndpointException the code exchange was refused
     * @throws TokenVerificationException the ID token does not verify (signature, iss, aud, exp, nonce)
     */
    public LoginResult login(RelyingParty rp, LoginPlan plan) {
        rp.discovery();                                   // before the clock starts: not part of the login
        Pkce pkce = Pkce.create();
        String state = Pkce.newState();
        String nonce = Pkce.newNonce();
        URI first = rp.authorizationRequest(pkce, state, nonce, plan.scope(), plan.idpHint());

        List<String> visited = new ArrayList<>();
        List<String> hops = new ArrayList<>();
        Set<String> passwordSentTo = new HashSet<>();
        Set<String> idpChosenAt = new HashSet<>();
        int passwordForms = 0;
        // an identity provider that answered error=… to a broker endpoint: the page that follows rarely says why
        String upstreamError = null;
        long start = System.nanoTime();

        HttpRequest request = get(first);
        for (int n = 0; n < MAX_REQUESTS; n++) {
            URI uri = request.uri();
            visited.add(OidcHttp.strip(uri));
            long t = System.nanoTime();
            HttpResponse<String> response = OidcHttp.send(client, request, "login at " + rp.realm());
            hops.add(request.method() + " " + uri.getRawPath() + " " + (System.nanoTime() - t) / 1_000_000 + " ms");
            int status = response.statusCode();

            if (isRedirect(status)) {
                URI target = location(response, uri);
                if (isCallback(target, rp.redirectUri())) {
                    String code = callbackCode(target, uri, rp, state);
                    long t2 = System.nanoTime();
                    Tokens tokens = rp.exchangeCode(code, pkce.verifier());
                    hops.add("POST token (code exchange) " + (System.nanoTime() - t2) / 1_000_000 + " ms");
                    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                    VerifiedToken id = tokens.idToken() == null ? null : rp.verifyIdToken(tokens.idToken(), nonce);
                    return new LoginResult(tokens, id, passwordForms, visited, elapsed, hops);
                }
                String err = upstreamError(target);
                if (err != null) upstreamError = err;
                request = get(target);
                continue;
            }

            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.toLowerCase().contains("html")) {
                throw new LoginFailedException(OidcHttp.realmOf(uri), PageKind.NOT_A_PAGE, OidcHttp.strip(uri), status,
                        type.isEmpty() ? "no Content-Type" : "Content-Type " + type);
            }
            KeycloakPage page = KeycloakPage.parse(response.body(), uri, status);
            String upstream = upstreamError == null ? null : "after an identity provider answered " + upstreamError;
            if (page.kind != PageKind.LOGIN) throw page.failure(upstream);

            String alias = plan.choiceFor(page.realm);
            if (alias != null) {
                if (!idpChosenAt.add(page.realm)) throw page.failure("login page shown again after choosing " + alias);
                String href = page.idpLink(alias);
                if (href == null) {
                    throw page.failure("no link to identity provider " + alias + " (the page offers " + page.idpAliases() + ")");
                }
                request = get(URI.create(href));
                continue;
            }

            if (plan.homeRealm() != null && !plan.homeRealm().equals(page.realm)) {
                throw page.failure("realm " + page.realm + " showed its own login form, but " + plan.username() + " signs in at realm "
                        + plan.homeRealm() + (plan.idpHint() == null ? "" : "; the identity provider hint " + plan.idpHint()
                        + " was not followed (is " + plan.idpHint() + " missing or disabled?)") + (upstream == null ? "" : "; " + upstream));
            }
            if (passwordSentTo.contains(page.realm)) throw page.failure("login page shown again after the password was submitted");
            FormElement form = page.loginForm();
            if (form == null) throw page.failure("kc-form-login is not a form");
            Map<String, String> fields = new LinkedHashMap<>();
            for (Connection.KeyVal kv : form.formData()) fields.put(kv.key(), kv.value());
            boolean asksUsername = !form.select("input[name=username]").isEmpty();
            boolean asksPassword = !form.select("input[name=password]").isEmpty();
            if (!asksUsername && !asksPassword) throw page.failure("login form without username or password field");
            if (asksUsername) fields.put("username", plan.username());
            if (asksPassword) {
                fields.put("password", plan.password());
                passwordForms++;
                passwordSentTo.add(page.realm);
            }
            String action = form.absUrl("action");
            URI target = action.isEmpty() ? uri : URI.create(action);
            request = OidcHttp.request(target)
                    .header("Accept", ACCEPT).header("Accept-Language", "en")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(OidcHttp.form(fields)).build();
        }
        throw new LoginFailedException(OidcHttp.realmOf(request.uri()), PageKind.UNKNOWN, OidcHttp.strip(request.uri()), 0,
                "no callback after " + MAX_REQUESTS + " requests (pages: " + visited + ")");
    }

    private static final String ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private static HttpRequest get(URI uri) {
        return OidcHttp.request(uri).header("Accept", ACCEPT).header("Accept-Language", "en").GET().build();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static URI location(HttpResponse<String> response, URI from) {
        String loc = response.headers().firstValue("Location").orElse(null);
        if (loc == null || loc.isBlank()) {
            throw new LoginFailedException(OidcHttp.realmOf(from), PageKind.NOT_A_PAGE, OidcHttp.strip(from), response.statusCode(),
                    "redirect without Location");
        }
        try {
            return from.resolve(loc.trim());
        } catch (IllegalArgumentException e) {
            throw new LoginFailedException(OidcHttp.realmOf(from), PageKind.NOT_A_PAGE, OidcHttp.strip(from), response.statusCode(),
                    "unusable Location " + OidcHttp.strip(loc));
        }
    }

    /** {@code error=…, error_description=…} of a redirect that carries an OAuth error, else null. */
    static String upstreamError(URI target) {
        Map<String, String> q = query(target.getRawQuery());
        if (!q.containsKey("error")) return null;
        String d = q.get("error_description");
        return "error=" + q.get("error") + (d == null ? "" : " (" + d + ")");
    }

    static boolean isCallback(URI target, String redirectUri) {
        String t = target.toString();
        if (!t.startsWith(redirectUri)) return false;
        if (t.length() == redirectUri.length()) return true;
        char next = t.charAt(redirectUri.length());
        return next == '?' || next == '#';
    }

    /** The code of the authorization response, after checking error, state and (when sent) iss. */
    private static String callbackCode(URI target, URI from, RelyingParty rp, String state) {
        Map<String, String> q = query(target.getRawQuery());
        String realm = OidcHttp.realmOf(from) != null ? OidcHttp.realmOf(from) : rp.realm();
        String where = OidcHttp.strip(target);
        if (q.get("code") != null) Secrets.register(q.get("code"));
        if (q.containsKey("error")) {
            String d = q.get("error_description");
            throw new LoginFailedException(realm, PageKind.AUTHORIZATION_ERROR, where, 0,
                    "error=" + q.get("error") + (d == null ? "" : ", error_description=" + d));
        }
        if (!state.equals(q.get("state"))) {
            throw new LoginFailedException(realm, PageKind.AUTHORIZATION_ERROR, where, 0,
                    q.containsKey("state") ? "state does not match the one sent" : "no state in the authorization response");
        }
        if (q.containsKey("iss") && !rp.issuer().equals(q.get("iss"))) {
            throw new LoginFailedException(realm, PageKind.AUTHORIZATION_ERROR, where, 0,
                    "iss " + q.get("iss") + ", expected " + rp.issuer());
        }
        String code = q.get("code");
        if (code == null || code.isEmpty()) {
            throw new LoginFailedException(realm, PageKind.AUTHORIZATION_ERROR, where, 0, "no code in the authorization response");
        }
        return code;
    }

    static Map<String, String> query(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return out;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    @Override public String toString() { return "BrowserSession[" + (cookies == null ? "other cookie store" : cookies) + "]"; }
}
