package dive.verify.oidc;

/** A JWT failed verification; the message names what failed (signature, issuer, expired, audience, nonce). */
public class TokenVerificationException extends OidcException {
    public TokenVerificationException(String message) { super(message); }
    public TokenVerificationException(String message, Throwable cause) { super(message, cause); }
}
