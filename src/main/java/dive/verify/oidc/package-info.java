/**
 * An OIDC relying party that behaves like a person with a browser, for
 * Keycloak 26: real brokered logins (authorization code + PKCE + state +
 * nonce, through the other side's login form), token verification against a
 * realm's JWKS, refresh, password grant and logout.
 *
 * <p>{@link dive.verify.oidc.BrowserSession} walks the pages itself (redirects
 * followed by hand, forms read with jsoup) and stops at the first page it
 * cannot get past, naming the realm, the kind of page and the page's message.
 * {@link dive.verify.oidc.RelyingParty} is the client's back channel;
 * {@link dive.verify.oidc.TokenVerifier} checks signature, issuer, expiry,
 * audience and nonce.
 *
 * <p>One fact shapes this package: Keycloak marks its login cookies
 * {@code Secure} even on {@code http://localhost}, and the JDK's
 * {@link java.net.CookieManager} (like most HTTP clients' cookie stores)
 * then does not send them over plain http, so the login form answers
 * "cookie not found". {@link dive.verify.oidc.CookieJar} keeps and sends
 * them, as browsers do for localhost.
 *
 * <p>Codes, tokens, passwords and the client secret are registered with
 * {@link dive.verify.report.Secrets} as soon as they are known; no
 * {@code toString} and no exception message carries one.
 */
package dive.verify.oidc;
