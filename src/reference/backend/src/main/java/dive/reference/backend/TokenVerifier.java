package dive.reference.backend;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.URI;
import java.util.HashSet;
import java.util.Set;

/**
 * Verifies Keycloak-issued JWTs: signature against the JWKS URL (internal), {@code iss} equal to the public issuer,
 * {@code exp} with a small clock skew ({@code TOKEN_CLOCK_SKEW_SECONDS}, default 2 s; nimbus's default of 60 s would
 * accept a token that expired a minute ago).
 */
public final class TokenVerifier {
    private final DefaultJWTProcessor<SecurityContext> processor;

    public TokenVerifier(String issuer, String jwksUrl, int clockSkewSeconds) throws Exception {
        this(issuer, JWKSourceBuilder
                .create(URI.create(jwksUrl).toURL(), new DefaultResourceRetriever(3000, 3000, 512 * 1024))
                .rateLimited(false)
                .build(), clockSkewSeconds);
    }

    /** With a given key source (tests: an immutable JWK set). */
    TokenVerifier(String issuer, JWKSource<SecurityContext> keys, int clockSkewSeconds) {
        if (clockSkewSeconds < 0) {
            throw new IllegalArgumentException("clock skew must not be negative");
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(new HashSet<>(Set.of(
                JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
                JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
                JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512)), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), new HashSet<>(Set.of("exp", "iss")));
        claims.setMaxClockSkew(clockSkewSeconds);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** Throws with nimbus's message, e.g. "Signed JWT rejected: Invalid signature" or "Expired JWT". */
    public JWTClaimsSet verify(String token) throws Exception {
        return processor.process(token, null);
    }
}
