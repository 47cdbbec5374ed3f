package dive.verify.oidc;

import dive.verify.report.Secrets;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.FormElement;

import java.net.URI;
import java.util.List;

/**
 * One HTML page met during a login, classified the way a person reads a
 * Keycloak 26 page: a login form (id {@code kc-form-login}), an error page
 * ({@code #kc-error-message}), a review-profile form, an "account already
 * exists" page, an update-password form, an info page, or something else;
 * with the text of the page's feedback element.
 */
final class KeycloakPage {
    private static final int MAX_MESSAGE = 300;
    /** Where Keycloak themes (v1 and v2) put the message a person reads, in order of precedence. */
    private static final List<String> FEEDBACK = List.of(
            "#kc-error-message", ".kc-feedback-text", "#input-error", ".alert-error",
            "span.kc-feedback-text", "#kc-info-message", ".pf-m-danger", ".alert-warning");

    final URI uri;
    final int status;
    final Document doc;
    final PageKind kind;
    final String realm;

    private KeycloakPage(URI uri, int status, Document doc) {
        this.uri = uri;
        this.status = status;
        this.doc = doc;
        this.kind = classify(doc);
        this.realm = OidcHttp.realmOf(uri);
    }

    static KeycloakPage parse(String html, URI uri, int status) {
        return new KeycloakPage(uri, status, Jsoup.parse(html, uri.toString()));
    }

    static PageKind classify(Document doc) {
        if (doc.getElementById("kc-form-login") != null) return PageKind.LOGIN;
        if (doc.getElementById("kc-idp-review-profile-form") != null
                || doc.getElementById("kc-update-profile-form") != null) return PageKind.REVIEW_PROFILE;
        if (doc.getElementById("kc-passwd-update-form") != null) return PageKind.UPDATE_PASSWORD;
        if (doc.getElementById("kc-register-form") != null
                || doc.body() != null && doc.body().text().toLowerCase().contains("already exists")) return PageKind.ACCOUNT_EXISTS;
        if (doc.getElementById("kc-error-message") != null) return PageKind.ERROR;
        if (doc.getElementById("kc-info-message") != null) return PageKind.INFO;
        // a page with only Keycloak's feedback alert: an error unless the alert says otherwise
        if (!doc.select(".alert-error, .pf-m-danger").isEmpty()) return PageKind.ERROR;
        Element feedback = doc.selectFirst(".kc-feedback-text");
        if (feedback != null) {
            boolean calm = feedback.closest(".alert-info, .alert-success, .pf-m-info, .pf-m-success") != null;
            return calm ? PageKind.INFO : PageKind.ERROR;
        }
        return PageKind.UNKNOWN;
    }

    /** The login form, or null when the page has none. */
    FormElement loginForm() {
        Element e = doc.getElementById("kc-form-login");
        return e instanceof FormElement f ? f : null;
    }

    /** The link a person clicks to sign in with identity provider {@code alias} ({@code a#social-<alias>}), or null. */
    String idpLink(String alias) {
        Element a = doc.getElementById("social-" + alias);
        if (a == null) return null;
        String href = a.absUrl("href");
        return href.isEmpty() ? null : href;
    }

    /** The identity-provider aliases the page offers (from {@code a[id^=social-]}). */
    List<String> idpAliases() {
        return doc.select("a[id^=social-]").stream().map(a -> a.id().substring("social-".length())).toList();
    }

    /** The message a person reads on the page: the first non-blank feedback element, else the heading, else the title. */
    String message() {
        for (String selector : FEEDBACK) {
            for (Element e : doc.select(selector)) {
                String t = e.text().trim();
                if (!t.isEmpty()) return shorten(t);
            }
        }
        Element heading = doc.getElementById("kc-page-title");
        if (heading != null && !heading.text().isBlank()) return shorten("page heading \"" + heading.text().trim() + "\"");
        String title = doc.title().trim();
        return title.isEmpty() ? null : shorten("page title \"" + title + "\"");
    }

    /** The failure a person stuck on this page would report. */
    LoginFailedException failure(String context) {
        String msg = message();
        String detail = context == null ? msg : msg == null ? context : context + ": " + msg;
        return new LoginFailedException(realm, kind, OidcHttp.strip(uri), status, detail);
    }

    private static String shorten(String s) {
        String t = Secrets.redact(s.replaceAll("\\s+", " "));
        return t.length() <= MAX_MESSAGE ? t : t.substring(0, MAX_MESSAGE) + "…";
    }
}
