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
 * @param hops               each request's time, in order ({@code "POST /realms/x/login-actions/authenticate 212 ms"}),
 *                           the code exchange last: where a slow login spends its time
 */
public record LoginResult(Tokens tokens, VerifiedToken idToken, int passwordFormsShown,
                          List<String> pagesVisited, Duration elapsed, List<String> hops) {
    public LoginResult {
        pagesVisited = List.copyOf(pagesVisited);
        hops = List.copyOf(hops);
    }
}
