package dive.verify.oidc;

/**
 * A login stopped somewhere a person would have been stuck too: on a page
 * that is not a login form this plan can fill, on an error redirect, or on
 * an answer that is no page at all. The message names the realm, the kind of
 * page, its URL (without query) and the text the page shows.
 */
public class LoginFailedException extends OidcException {
    private final String realm;
    private final PageKind kind;
    private final String url;
    private final int status;
    private final String detail;

    public LoginFailedException(String realm, PageKind kind, String url, int status, String detail) {
        super("Login stopped at realm " + (realm == null ? "(none)" : realm) + " on " + withArticle(kind.label())
                + (status > 0 ? " (HTTP " + status + ", " : " (") + url + ")"
                + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.realm = realm;
        this.kind = kind;
        this.url = url;
        this.status = status;
        this.detail = detail;
    }

    private static String withArticle(String label) {
        return ("aeiou".indexOf(Character.toLowerCase(label.charAt(0))) >= 0 ? "an " : "a ") + label;
    }

    /** The realm whose page it was (from the URL path), or null. */
    public String realm() { return realm; }
    public PageKind kind() { return kind; }
    /** The page's URL without query string. */
    public String url() { return url; }
    /** The HTTP status, or 0 when not applicable. */
    public int status() { return status; }
    /** The page's message (feedback text, error code and description), or null. */
    public String detail() { return detail; }
}
