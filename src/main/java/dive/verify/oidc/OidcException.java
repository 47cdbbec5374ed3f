package dive.verify.oidc;

import dive.verify.report.Secrets;

/**
 * Any failure of the OIDC client. Messages name what failed and where
 * (URLs without their query strings), never cookies, codes or tokens; as a
 * last defence they pass through {@link Secrets#redact}.
 */
public class OidcException extends RuntimeException {
    public OidcException(String message) { super(Secrets.redact(message)); }
    public OidcException(String message, Throwable cause) { super(Secrets.redact(message), cause); }
}
