package dive.verify.sso;

import dive.verify.federation.KeycloakAdmin;
import dive.verify.oidc.Tokens;

import java.time.Duration;
import java.time.Instant;

/**
 * A genuinely expired token of a realm: issued by the realm itself (a refresh
 * grant of a real session) while its client's access-token lifespan is set
 * to two seconds, then left to expire. The lifespan is restored at once.
 */
public final class ExpiredTokens {
    private static final String LIFESPAN = "access.token.lifespan";

    private ExpiredTokens() {}

    /** @param margin how long to wait after expiry (beyond the services' clock skew allowance) */
    public static String issue(SignIn s, Duration margin) {
        Site site = s.at();
        KeycloakAdmin admin = KeycloakAdmin.login(site.keycloakUrl(), site.adminPassword());
        Tokens t;
        admin.setClientAttribute(site.realm(), site.clientId(), LIFESPAN, "2");
        try {
            t = s.relyingParty().refresh(s.tokens().refreshToken());
        } finally {
            admin.setClientAttribute(site.realm(), site.clientId(), LIFESPAN, null);
        }
        Instant exp;
        try {
            // read, not verified: it may already have expired (the backend does the verifying)
            exp = com.nimbusds.jwt.SignedJWT.parse(t.accessToken()).getJWTClaimsSet().getExpirationTime().toInstant();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("the realm's refresh grant returned an unreadable access token");
        }
        Duration wait = Duration.between(Instant.now(), exp.plus(margin));
        if (wait.toSeconds() > 30) {
            throw new IllegalStateException("the realm issued a token valid until " + exp + ", not for two seconds: is the client attribute "
                    + LIFESPAN + " honoured?");
        }
        try {
            if (!wait.isNegative()) Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return t.accessToken();
    }
}
