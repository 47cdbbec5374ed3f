package dive.verify.oidc;

import dive.verify.report.Secrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Real logins against {@link FakeKeycloak}: three realms brokered like DIVE's
 * (GBR trusts the hub as usa-idp, the hub trusts FRA as fra-idp), Secure
 * cookies over http, PKCE, state, nonce, SSO on a second login.
 */
class BrowserSessionTest {
    static final String CALLBACK = "http://localhost:1/callback";
    static final String FRA = "dive-v3-broker-fra";
    static final String USA = "dive-v3-broker-usa";
    static final String GBR = "dive-v3-broker-gbr";
    static final String FRA_PASSWORD = "fra-password-1!";
    static FakeKeycloak kc;

    @BeforeAll
    static void start() throws Exception {
        kc = new FakeKeycloak();
        kc.realm(FRA).client(FRA, "secret-fra-123")
                .user("testuser-fra-5", FRA_PASSWORD, Map.of("uniqueID", "testuser-fra-5", "clearance", "SECRET DÉFENSE",
                        "countryOfAffiliation", "FRA", "acpCOI", List.of("NATO", "FVEY"), "organizationType", "GOVERNMENT"));
        kc.realm(USA).client(USA, "secret-usa-123")
                .user("testuser-usa-1", "usa-password-1!", Map.of("uniqueID", "testuser-usa-1", "clearance", "TOP_SECRET",
                        "countryOfAffiliation", "USA", "acpCOI", "[\"NATO\"]"))
                .idp("fra-idp", FRA);
        kc.realm(GBR).client(GBR, "secret-gbr-123").idp("usa-idp", USA);
    }

    @AfterAll static void stop() { kc.close(); }

    @AfterEach void reset() {
        kc.realms.values().forEach(r -> { r.reviewProfileOnBrokerLogin = false; r.answerWithWrongState = false; });
        kc.requests.clear();
        Secrets.clear();
    }

    static RelyingParty rp(String realm) {
        return RelyingParty.diveRealm(kc.base, realm, "secret-" + realm.substring(realm.length() - 3) + "-123", CALLBACK);
    }

    @Test
    void directLoginThroughTheLoginFormYieldsVerifiedTokens() {
        RelyingParty fra = rp(FRA);
        BrowserSession browser = new BrowserSession();
        LoginResult result = browser.login(fra, LoginPlan.of("testuser-fra-5", FRA_PASSWORD));

        assertThat(result.passwordFormsShown()).isEqualTo(1);
        assertThat(result.pagesVisited()).containsExactly(
                kc.base + "/realms/" + FRA + "/protocol/openid-connect/auth",
                kc.base + "/realms/" + FRA + "/login-actions/authenticate");
        assertThat(result.elapsed()).isPositive();
        assertThat(result.idToken().iss()).isEqualTo(fra.issuer());
        assertThat(result.idToken().audience()).containsExactly(FRA);

        VerifiedToken access = fra.verifyAccessToken(result.tokens().accessToken());
        assertThat(access.uniqueID()).isEqualTo("testuser-fra-5");
        assertThat(access.clearance()).isEqualTo("SECRET DÉFENSE");
        assertThat(access.countryOfAffiliation()).isEqualTo("FRA");
        assertThat(access.acpCOI()).containsExactly("NATO", "FVEY");
        assertThat(access.organizationType()).isEqualTo("GOVERNMENT");

        // every token is a registered secret, and nothing printable shows one
        assertThat(Secrets.isSecret(result.tokens().accessToken())).isTrue();
        assertThat(Secrets.isSecret(result.tokens().idToken())).isTrue();
        assertThat(Secrets.isSecret(result.tokens().refreshToken())).isTrue();
        assertThat(Secrets.isSecret(FRA_PASSWORD)).isTrue();
        assertThat(result.toString() + fra + browser + LoginPlan.of("testuser-fra-5", FRA_PASSWORD))
                .doesNotContain(result.tokens().accessToken(), result.tokens().refreshToken(), FRA_PASSWORD, "secret-fra-123");

        // Secure cookies were kept over http, and the login's cookies are in the jar
        assertThat(browser.cookies().cookies()).extracting(CookieJar.Cookie::name).contains("AUTH_SESSION_ID", "KEYCLOAK_IDENTITY")
                .doesNotContain("KC_RESTART");   // deleted by Max-Age=0
        assertThat(browser.cookies().cookies()).allMatch(CookieJar.Cookie::secure);
    }

    @Test
    void withTheJdkCookieManagerKeycloaksSecureCookiesAreLostAndTheLoginFails() {
        BrowserSession jdk = BrowserSession.withCookieHandler(new CookieManager());
        LoginFailedException e = catchThrowableOfType(LoginFailedException.class,
                () -> jdk.login(rp(FRA), LoginPlan.of("testuser-fra-5", FRA_PASSWORD)));
        assertThat(e.kind()).isEqualTo(PageKind.ERROR);
        assertThat(e.realm()).isEqualTo(FRA);
        assertThat(e.getMessage()).contains("Cookie not found");
    }

    @Test
    void nestedBrokeringGbrThroughTheHubToFraAndThenSsoWithoutAPasswordForm() {
        RelyingParty gbr = rp(GBR);
        BrowserSession browser = new BrowserSession();
        LoginPlan plan = LoginPlan.of("testuser-fra-5", FRA_PASSWORD).withIdpHint("usa-idp").choosing(USA, "fra-idp");

        LoginResult first = browser.login(gbr, plan);
        assertThat(first.passwordFormsShown()).isEqualTo(1);
        assertThat(first.pagesVisited()).containsSubsequence(
                kc.base + "/realms/" + GBR + "/protocol/openid-connect/auth",
                kc.base + "/realms/" + GBR + "/broker/usa-idp/login",
                kc.base + "/realms/" + USA + "/protocol/openid-connect/auth",
                kc.base + "/realms/" + USA + "/broker/fra-idp/login",
                kc.base + "/realms/" + FRA + "/protocol/openid-connect/auth",
                kc.base + "/realms/" + FRA + "/login-actions/authenticate",
                kc.base + "/realms/" + USA + "/broker/fra-idp/endpoint",
                kc.base + "/realms/" + GBR + "/broker/usa-idp/endpoint");
        assertThat(first.pagesVisited()).noneMatch(u -> u.contains("?"));
        VerifiedToken t = gbr.verifyAccessToken(first.tokens().accessToken());
        assertThat(t.iss()).isEqualTo(gbr.issuer());
        assertThat(t.uniqueID()).isEqualTo("testuser-fra-5");
        assertThat(t.countryOfAffiliation()).isEqualTo("FRA");

        // a second login in the same browser: every realm on the way has a session
        LoginResult second = browser.login(gbr, plan);
        assertThat(second.passwordFormsShown()).isZero();
        assertThat(gbr.verifyAccessToken(second.tokens().accessToken()).uniqueID()).isEqualTo("testuser-fra-5");

        // another client of the hub, same browser: the hub's session suffices, no form either
        LoginResult atHub = browser.login(rp(USA), LoginPlan.of("testuser-fra-5", FRA_PASSWORD).choosing(USA, "fra-idp"));
        assertThat(atHub.passwordFormsShown()).isZero();

        // a new browser asks again
        assertThat(new BrowserSession().login(gbr, plan).passwordFormsShown()).isEqualTo(1);
    }

    @Test
    void aWrongPasswordStopsOnTheLoginPageWithKeycloaksMessage() {
        LoginFailedException e = catchThrowableOfType(LoginFailedException.class,
                () -> new BrowserSession().login(rp(FRA), LoginPlan.of("testuser-fra-5", "wrong-password-!")));
        assertThat(e.kind()).isEqualTo(PageKind.LOGIN);
        assertThat(e.getMessage()).contains("realm " + FRA, "shown again after the password was submitted", "Invalid username or password.")
                .doesNotContain("wrong-password-!", "session_code");
    }

    @Test
    void anUnknownScopeIsRefusedWithInvalidScopeOnTheCallback() {
        LoginFailedException e = catchThrowableOfType(LoginFailedException.class,
                () -> new BrowserSession().login(rp(FRA), LoginPlan.of("u", "p").withScope("openid clearance")));
        assertThat(e.kind()).isEqualTo(PageKind.AUTHORIZATION_ERROR);
        assertThat(e.getMessage()).contains("error=invalid_scope", "error_description=Invalid scopes: openid clearance")
                .contains(CALLBACK).doesNotContain("state=");
    }

    @Test
    void anUnknownClientStopsOnKeycloaksErrorPage() {
        RelyingParty stranger = new RelyingParty(kc.base + "/realms/" + FRA, "no-such-client", "whatever-secret", CALLBACK);
        LoginFailedException e = catchThrowableOfType(LoginFailedException.class,
                () -> new BrowserSession().login(stranger, LoginPlan.of("u", "p")));
        assertThat(e.kind()).isEqualTo(PageKind.ERROR);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("Keycloak error page", "Client not found.");
    }

    @Test
    void anIdentityProviderTheLoginPageDoesNotOfferIsNamedWithTheOffered() {
        LoginFailedException e = catchThrowableOfType(LoginFailedException.class,
                () -> new BrowserSession().login(rp(USA), LoginPlan.of("u", "p").choosing(USA, "deu-idp")));
        assertThat(e.getMessage()).contains("no link to identity provider deu-idp", "[fra-idp]");
    }

    @Test
    void aReviewProfilePageOnFirstBrokerLoginStopsTheLogin() {
        kc.realms.get(USA).reviewProfileOnBrokerLogin = true;
        LoginFailedException e = catchThrowableOfType(LoginFailedException.class,
                () -> new BrowserSession().login(rp(USA), LoginPlan.of("testuser-fra-5", FRA_PASSWORD).withIdpHint("fra-idp")));
        assertThat(e.kind()).isEqualTo(PageKind.REVIEW_PROFILE);
        assertThat(e.realm()).isEqualTo(USA);
        assertThat(e.getMessage()).contains("review profile page", "Update Account Information");
    }

    @Test
    void aCallbackWithAnotherStateIsRefused() {
        kc.realms.get(FRA).answerWithWrongState = true;
        LoginFailedException e = catchThrowableOfType(LoginFailedException.class,
                () -> new BrowserSession().login(rp(FRA), LoginPlan.of("testuser-fra-5", FRA_PASSWORD)));
        assertThat(e.getMessage()).contains("state does not match");
        assertThat(kc.requests).noneMatch(r -> r.endsWith("/token"));   // the code was not redeemed
    }

    @Test
    void aWrongClientSecretFailsTheCodeExchangeWithTheOAuthError() {
        RelyingParty wrong = new RelyingParty(kc.base + "/realms/" + FRA, FRA, "not-the-secret", CALLBACK);
        TokenEndpointException e = catchThrowableOfType(TokenEndpointException.class,
                () -> new BrowserSession().login(wrong, LoginPlan.of("testuser-fra-5", FRA_PASSWORD)));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.error()).isEqualTo("unauthorized_client");
        assertThat(e.getMessage()).doesNotContain("not-the-secret");
    }

    @Test
    void helpers() {
        assertThat(BrowserSession.isCallback(URI.create(CALLBACK + "?code=x"), CALLBACK)).isTrue();
        assertThat(BrowserSession.isCallback(URI.create(CALLBACK), CALLBACK)).isTrue();
        assertThat(BrowserSession.isCallback(URI.create(CALLBACK + "s?code=x"), CALLBACK)).isFalse();
        assertThat(BrowserSession.query("a=1&b=x%20y&c&a=2")).containsExactly(Map.entry("a", "1"), Map.entry("b", "x y"), Map.entry("c", ""));
        assertThat(OidcHttp.realmOf(URI.create("http://localhost:8443/realms/dive-v3-broker-usa/broker/fra-idp/login"))).isEqualTo(USA);
        assertThat(OidcHttp.realmOf(URI.create("http://localhost:8443/admin/"))).isNull();
        assertThat(OidcHttp.strip(URI.create("http://h/p?code=secret#frag"))).isEqualTo("http://h/p");
        assertThatThrownBy(() -> LoginPlan.of("u", null)).isInstanceOf(NullPointerException.class);
    }
}
