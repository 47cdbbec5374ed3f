package dive.verify.oidc;

import dive.verify.report.Secrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Back-channel grants and logout against {@link FakeKeycloak}. */
class RelyingPartyTest {
    static final String REALM = "dive-v3-broker-deu";
    static final String SECRET = "deu-client-secret";
    static final String CALLBACK = "http://localhost:1/callback";
    static FakeKeycloak kc;

    @BeforeAll
    static void start() throws Exception {
        kc = new FakeKeycloak();
        kc.realm(REALM).client(REALM, SECRET).user("testuser-deu-1", "deu-password-1", Map.of("uniqueID", "testuser-deu-1",
                "countryOfAffiliation", "DEU", "clearance", "CONFIDENTIAL"));
    }

    @AfterAll static void stop() { kc.close(); }
    @AfterEach void clear() { Secrets.clear(); }

    static RelyingParty rp() { return RelyingParty.diveRealm(kc.base + "/", REALM, SECRET, CALLBACK); }

    @Test
    void discoveryIsReadOnceAndChecked() {
        RelyingParty rp = rp();
        assertThat(rp.issuer()).isEqualTo(kc.base + "/realms/" + REALM);
        assertThat(rp.clientId()).isEqualTo(REALM);
        assertThat(rp.realm()).isEqualTo(REALM);
        Discovery d = rp.discovery();
        assertThat(d.tokenEndpoint()).isEqualTo(URI.create(rp.issuer() + "/protocol/openid-connect/token"));
        assertThat(d.endSessionEndpoint()).isNotNull();
        assertThat(rp.discovery()).isSameAs(d);

        RelyingParty missing = new RelyingParty(kc.base + "/realms/no-such-realm", "c", "secret-x", CALLBACK);
        assertThatThrownBy(missing::discovery).isInstanceOf(OidcException.class).hasMessageContaining("HTTP 404");

        RelyingParty nothingListens = new RelyingParty("http://localhost:1/realms/x", "c", "secret-x", CALLBACK);
        assertThatThrownBy(nothingListens::discovery).isInstanceOf(OidcException.class)
                .hasMessageContaining("OIDC discovery").hasMessageContaining("http://localhost:1/realms/x/.well-known/openid-configuration");
    }

    @Test
    void discoveryAnnouncingAnotherIssuerIsRefused() {
        String json = "{\"issuer\":\"http://keycloak-deu:8080/realms/x\",\"authorization_endpoint\":\"http://a\","
                + "\"token_endpoint\":\"http://t\",\"jwks_uri\":\"http://j\"}";
        assertThat(Discovery.parse(json, URI.create("http://x")).issuer()).isEqualTo("http://keycloak-deu:8080/realms/x");
        assertThatThrownBy(() -> Discovery.parse("{\"issuer\":\"i\"}", URI.create("http://x"))).hasMessageContaining("no authorization_endpoint");
        assertThatThrownBy(() -> Discovery.parse("<html>", URI.create("http://x"))).hasMessageContaining("not JSON");
    }

    @Test
    void passwordGrantRefreshAndLogout() {
        RelyingParty rp = rp();
        Tokens t = rp.passwordGrant("testuser-deu-1", "deu-password-1");
        assertThat(t.expiresIn()).isEqualTo(300);
        assertThat(t.tokenType()).isEqualTo("Bearer");
        VerifiedToken access = rp.verifyAccessToken(t.accessToken());
        assertThat(access.uniqueID()).isEqualTo("testuser-deu-1");
        assertThat(access.acpCOI()).isEmpty();
        assertThat(rp.verifyIdToken(t.idToken(), null).audience()).containsExactly(REALM);
        assertThat(t.toString()).doesNotContain(t.accessToken()).doesNotContain(t.refreshToken()).contains("expiresIn=300s");

        Tokens refreshed = rp.refresh(t.refreshToken());
        assertThat(rp.verifyAccessToken(refreshed.accessToken()).sub()).isEqualTo(access.sub());
        assertThat(refreshed.refreshToken()).isNotEqualTo(t.refreshToken());
        assertThat(Secrets.isSecret(refreshed.refreshToken())).isTrue();

        rp.logout(refreshed.refreshToken());
        TokenEndpointException after = catchThrowableOfType(TokenEndpointException.class, () -> rp.refresh(refreshed.refreshToken()));
        assertThat(after.status()).isEqualTo(400);
        assertThat(after.error()).isEqualTo("invalid_grant");
        assertThat(after.errorDescription()).isEqualTo("Token is not active");
        assertThat(after.getMessage()).contains("refresh grant", "invalid_grant", "Token is not active")
                .doesNotContain(refreshed.refreshToken());

        TokenEndpointException again = catchThrowableOfType(TokenEndpointException.class, () -> rp.logout(refreshed.refreshToken()));
        assertThat(again.error()).isEqualTo("invalid_grant");
        assertThat(again.getMessage()).startsWith("logout at ");
    }

    @Test
    void aWrongPasswordIsInvalidGrant() {
        TokenEndpointException e = catchThrowableOfType(TokenEndpointException.class,
                () -> rp().passwordGrant("testuser-deu-1", "not-the-password"));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.error()).isEqualTo("invalid_grant");
        assertThat(e.getMessage()).contains("password grant for testuser-deu-1", "Invalid user credentials")
                .doesNotContain("not-the-password");
    }

    @Test
    void clientSecretBasicAuthenticatesToo() {
        RelyingParty basic = new RelyingParty(kc.base + "/realms/" + REALM, REALM, SECRET, CALLBACK, RelyingParty.ClientAuth.CLIENT_SECRET_BASIC);
        Tokens t = basic.passwordGrant("testuser-deu-1", "deu-password-1");
        assertThat(kc.realms.get(REALM).lastClientAuth).isEqualTo("basic");
        basic.logout(t.refreshToken());
        assertThat(basic.toString()).contains("CLIENT_SECRET_BASIC").doesNotContain(SECRET);
    }

    @Test
    void theAuthorizationRequestCarriesPkceStateNonceAndTheHint() {
        RelyingParty rp = rp();
        Pkce pkce = Pkce.create();
        URI u = rp.authorizationRequest(pkce, "st-1", "no-1", "openid profile", "usa-idp");
        Map<String, String> q = BrowserSession.query(u.getRawQuery());
        assertThat(OidcHttp.strip(u)).isEqualTo(rp.discovery().authorizationEndpoint().toString());
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", REALM)
                .containsEntry("redirect_uri", CALLBACK).containsEntry("scope", "openid profile")
                .containsEntry("state", "st-1").containsEntry("nonce", "no-1")
                .containsEntry("code_challenge", pkce.challenge()).containsEntry("code_challenge_method", "S256")
                .containsEntry("kc_idp_hint", "usa-idp");
        assertThat(BrowserSession.query(rp.authorizationRequest(pkce, "s", "n", "openid", null).getRawQuery())).doesNotContainKey("kc_idp_hint");
    }
}
