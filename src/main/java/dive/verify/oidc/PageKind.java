package dive.verify.oidc;

/** What a page (or answer) met on the way through a login is. */
public enum PageKind {
    LOGIN("Keycloak login page"),
    ERROR("Keycloak error page"),
    REVIEW_PROFILE("review profile page"),
    ACCOUNT_EXISTS("account already exists page"),
    UPDATE_PASSWORD("update password page"),
    INFO("Keycloak info page"),
    UNKNOWN("unknown page"),
    /** Not HTML (or an unexpected status without a page). */
    NOT_A_PAGE("non-HTML answer"),
    /** The redirect to the client carried {@code error} instead of {@code code}. */
    AUTHORIZATION_ERROR("authorization error response");

    private final String label;

    PageKind(String label) { this.label = label; }

    public String label() { return label; }
}
