package dive.verify.oidc;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of a completed login.
 *
 * @param tokens             the tokens of the code exchange (registered as secrets)
 * @param idToken            the verified ID token (signature, iss, aud, exp, nonce), or null without {@code openid}
 * @param passwordFormsShown how many login forms asked for a password (0 when an existing session sufficed)
 * @param pagesVisited       every URL the browser requested, in order, without query strings
 * @param elapsed            from the first authorization request to the token response
 */
public record LoginResult(Tokens tokens, VerifiedToken idToken, int passwordFormsShown,
                          List<String> pagesVisited, Duration elapsed) {
    public LoginResult {
        pagesVisited = List.copyOf(pagesVisited);
    }
}
