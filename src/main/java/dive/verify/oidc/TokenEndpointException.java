package dive.verify.oidc;

/**
 * The token (or end-session) endpoint refused a request: the HTTP status and
 * the OAuth error code and description it answered (e.g. {@code invalid_grant},
 * "Token is not active").
 */
public class TokenEndpointException extends OidcException {
    private final int status;
    private final String error;
    private final String errorDescription;

    public TokenEndpointException(String what, int status, String error, String errorDescription) {
        super(what + " refused: HTTP " + status + ", error=" + error
                + (errorDescription == null ? "" : ", error_description=" + errorDescription));
        this.status = status;
        this.error = error;
        this.errorDescription = errorDescription;
    }

    public int status() { return status; }
    /** The OAuth error code ({@code invalid_grant}, {@code invalid_client}, ...), or null if the body had none. */
    public String error() { return error; }
    public String errorDescription() { return errorDescription; }
}
