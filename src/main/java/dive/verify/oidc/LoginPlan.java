package dive.verify.oidc;

import dive.verify.report.Secrets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the simulated person does on the way through a login: which
 * credentials to type into a login form, which identity provider to name in
 * the first request ({@code kc_idp_hint}), and on which realms' login pages to
 * click an identity-provider link instead of typing. Immutable.
 *
 * <pre>{@code
 * // a FRA user signs in at GBR through the hub: GBR -> usa-idp -> hub login page -> fra-idp -> FRA form
 * LoginPlan.of("testuser-fra-1", password).withIdpHint("usa-idp").choosing("dive-v3-broker-usa", "fra-idp")
 * }</pre>
 */
public final class LoginPlan {
    private final String username;
    private final String password;
    private final String idpHint;
    private final Map<String, String> choices;
    private final String scope;
    private final String homeRealm;

    private LoginPlan(String username, String password, String idpHint, Map<String, String> choices, String scope,
                      String homeRealm) {
        this.username = username;
        this.password = password;
        this.idpHint = idpHint;
        this.choices = Map.copyOf(choices);
        this.scope = scope;
        this.homeRealm = homeRealm;
    }

    /** Types {@code username} and {@code password} into the login form of whichever realm asks for them. */
    public static LoginPlan of(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Secrets.register(password);
        return new LoginPlan(username, password, null, Map.of(), "openid", null);
    }

    /** Adds {@code kc_idp_hint=<alias>} to the first authorization request (the client's realm goes straight to that IdP). */
    public LoginPlan withIdpHint(String alias) {
        return new LoginPlan(username, password, alias, choices, scope, homeRealm);
    }

    /** On the login page of {@code realm}, click the link of identity provider {@code alias} ({@code a#social-<alias>}). */
    public LoginPlan choosing(String realm, String alias) {
        Map<String, String> c = new LinkedHashMap<>(choices);
        c.put(realm, alias);
        return new LoginPlan(username, password, idpHint, c, scope, homeRealm);
    }

    /** The scope of the authorization request; {@code openid} unless changed. Every scope must exist in the realm. */
    public LoginPlan withScope(String scope) {
        return new LoginPlan(username, password, idpHint, choices, Objects.requireNonNull(scope, "scope"), homeRealm);
    }

    /**
     * Types the password only into {@code realm}'s login form (the person's own
     * realm); a login form of any other realm fails the login, naming it, as a
     * person would not type their password into a foreign realm's form.
     */
    public LoginPlan passwordOnlyAt(String realm) {
        return new LoginPlan(username, password, idpHint, choices, scope, Objects.requireNonNull(realm, "realm"));
    }

    /** The only realm whose login form gets the password, or null for any. */
    public String homeRealm() { return homeRealm; }

    public String username() { return username; }
    String password() { return password; }
    public String idpHint() { return idpHint; }
    public String scope() { return scope; }
    /** realm name to identity-provider alias. */
    public Map<String, String> choices() { return choices; }
    /** The identity provider to choose on {@code realm}'s login page, or null to type the credentials there. */
    public String choiceFor(String realm) { return realm == null ? null : choices.get(realm); }

    @Override
    public String toString() {
        return "LoginPlan[user=" + username + ", idpHint=" + idpHint + ", choices=" + choices + ", scope=" + scope + (homeRealm == null ? "" : ", home=" + homeRealm) + "]";
    }
}
