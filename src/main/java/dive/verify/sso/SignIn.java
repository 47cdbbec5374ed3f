package dive.verify.sso;

import dive.verify.oidc.BrowserSession;
import dive.verify.oidc.LoginPlan;
import dive.verify.oidc.LoginResult;
import dive.verify.oidc.RelyingParty;
import dive.verify.oidc.Tokens;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A person signing in: at which site (the relying party is that site's own
 * realm client, as its frontend would be), with which plan, and what came
 * back. The tokens are registered as secrets by the OIDC client.
 */
public record SignIn(String username, Site at, BrowserSession browser, LoginResult result) {
    /** Where the relying party's redirect goes; nothing listens there, the client stops at the redirect. */
    public static final String REDIRECT_URI = "http://localhost:1/callback";

    private static final Map<Site, RelyingParty> PARTIES = new LinkedHashMap<>();

    /** The relying party of a site's realm (its confidential client), one per site and run. */
    public static synchronized RelyingParty relyingParty(Site site) {
        return PARTIES.computeIfAbsent(site, s -> new RelyingParty(s.issuer(), s.clientId(), s.clientSecret(), REDIRECT_URI));
    }

    /**
     * Signs {@code username} (whose password is that of their home site) in at
     * {@code at}, following {@code plan}'s identity-provider choices.
     */
    public static SignIn perform(Federation f, String username, Site at, BrowserSession browser,
                                 java.util.function.UnaryOperator<LoginPlan> route) {
        Site home = f.homeOf(username);
        LoginPlan plan = route.apply(LoginPlan.of(username, home.userPassword()).passwordOnlyAt(home.realm()));
        LoginResult r = browser.login(relyingParty(at), plan);
        return new SignIn(username, at, browser, r);
    }

    public Tokens tokens() { return result.tokens(); }

    public String accessToken() { return result.tokens().accessToken(); }

    public RelyingParty relyingParty() { return relyingParty(at); }
}
