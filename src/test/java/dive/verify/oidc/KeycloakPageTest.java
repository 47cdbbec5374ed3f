package dive.verify.oidc;

import org.jsoup.Connection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Page classification on hand-written fixtures that mimic Keycloak 26's pages. */
class KeycloakPageTest {
    static final URI HUB_AUTH = URI.create("http://localhost:8443/realms/dive-v3-broker-usa/protocol/openid-connect/auth?client_id=dive-v3-broker-gbr&state=s");
    static final URI FRA_AUTH = URI.create("http://localhost:8444/realms/dive-v3-broker-fra/login-actions/authenticate?session_code=x");

    static String fixture(String name) {
        try (InputStream in = KeycloakPageTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeycloakPage page(String name, URI uri, int status) { return KeycloakPage.parse(fixture(name), uri, status); }

    @Test
    void loginPageWithItsFormAndIdentityProviderLinks() {
        KeycloakPage p = page("login-usa.html", HUB_AUTH, 200);
        assertThat(p.kind).isEqualTo(PageKind.LOGIN);
        assertThat(p.realm).isEqualTo("dive-v3-broker-usa");
        assertThat(p.idpAliases()).containsExactly("fra-idp", "gbr-idp");
        assertThat(p.idpLink("fra-idp")).isEqualTo("http://localhost:8443/realms/dive-v3-broker-usa/broker/fra-idp/login"
                + "?client_id=dive-v3-broker-gbr&tab_id=TAB-1&client_data=eyJydSI6Imh0dHAifQ&session_code=SC-123");
        assertThat(p.idpLink("deu-idp")).isNull();

        var form = p.loginForm();
        assertThat(form).isNotNull();
        assertThat(form.absUrl("action")).startsWith("http://localhost:8443/realms/dive-v3-broker-usa/login-actions/authenticate?session_code=SC-123&execution=");
        Map<String, String> data = new LinkedHashMap<>();
        for (Connection.KeyVal kv : form.formData()) data.put(kv.key(), kv.value());
        assertThat(data).containsKeys("username", "password", "credentialId").doesNotContainKey("rememberMe");
        assertThat(p.message()).isEqualTo("page heading \"Sign in to your account\"");
    }

    @Test
    void loginPageAfterAWrongPasswordSaysSo() {
        KeycloakPage p = page("login-fra-invalid-password.html", FRA_AUTH, 200);
        assertThat(p.kind).isEqualTo(PageKind.LOGIN);
        assertThat(p.realm).isEqualTo("dive-v3-broker-fra");
        assertThat(p.message()).isEqualTo("Invalid username or password.");
        LoginFailedException e = p.failure("login page shown again after the password was submitted");
        assertThat(e.getMessage()).isEqualTo("Login stopped at realm dive-v3-broker-fra on a Keycloak login page (HTTP 200, "
                + "http://localhost:8444/realms/dive-v3-broker-fra/login-actions/authenticate): "
                + "login page shown again after the password was submitted: Invalid username or password.");
    }

    @Test
    void errorPageNamesTheRealmAndTheMessage() {
        KeycloakPage p = page("error-invalid-scope.html", URI.create("http://localhost:8444/realms/dive-v3-broker-fra/protocol/openid-connect/auth?scope=x"), 400);
        assertThat(p.kind).isEqualTo(PageKind.ERROR);
        LoginFailedException e = p.failure(null);
        assertThat(e.realm()).isEqualTo("dive-v3-broker-fra");
        assertThat(e.kind()).isEqualTo(PageKind.ERROR);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("realm dive-v3-broker-fra", "Keycloak error page", "HTTP 400",
                "Invalid scopes: openid profile email clearance countryOfAffiliation uniqueID acpCOI")
                .doesNotContain("scope=x");
    }

    @Test
    void errorShownOnlyInTheFeedbackAlertIsAnErrorPage() {
        KeycloakPage p = page("error-cookie-not-found.html", FRA_AUTH, 400);
        assertThat(p.kind).isEqualTo(PageKind.ERROR);
        assertThat(p.message()).isEqualTo("Cookie not found. Please make sure cookies are enabled in your browser.");
    }

    @Test
    void reviewProfileAccountExistsAndUpdatePassword() {
        KeycloakPage review = page("review-profile.html", HUB_AUTH, 200);
        assertThat(review.kind).isEqualTo(PageKind.REVIEW_PROFILE);
        assertThat(review.failure(null).getMessage()).contains("review profile page", "Update Account Information");

        KeycloakPage exists = page("account-exists.html", HUB_AUTH, 200);
        assertThat(exists.kind).isEqualTo(PageKind.ACCOUNT_EXISTS);
        assertThat(exists.message()).isEqualTo("User with username testuser-fra-1 already exists. How do you want to continue?");

        KeycloakPage update = page("update-password.html", FRA_AUTH, 200);
        assertThat(update.kind).isEqualTo(PageKind.UPDATE_PASSWORD);
        assertThat(update.message()).isEqualTo("You need to change your password to activate your account.");
    }

    @Test
    void anythingElseIsUnknownAndFallsBackToTheTitle() {
        KeycloakPage p = KeycloakPage.parse("<html><head><title>Welcome to nginx!</title></head><body><p>hi</p></body></html>",
                URI.create("http://localhost:3000/"), 200);
        assertThat(p.kind).isEqualTo(PageKind.UNKNOWN);
        assertThat(p.realm).isNull();
        assertThat(p.failure(null).getMessage()).isEqualTo(
                "Login stopped at realm (none) on an unknown page (HTTP 200, http://localhost:3000/): page title \"Welcome to nginx!\"");

        KeycloakPage info = KeycloakPage.parse("<html><body><div id=\"kc-info-message\"><p class=\"instruction\">You are already logged in.</p></div></body></html>",
                HUB_AUTH, 200);
        assertThat(info.kind).isEqualTo(PageKind.INFO);
        assertThat(info.message()).isEqualTo("You are already logged in.");
    }
}
