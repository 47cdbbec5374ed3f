package dive.reference.kas;

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
 * Signature against the issuer's JWKS (fetched from the internal URL), {@code iss} equal to the public issuer,
 * {@code exp} required with a small clock skew ({@code TOKEN_CLOCK_SKEW_SECONDS}, default 2 s; nimbus's own default
 * of 60 s would accept a token that expired a minute ago).
 */
final class JwtVerifier {
    static final int DEFAULT_CLOCK_SKEW_SECONDS = 2;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    JwtVerifier(String issuer, String jwksUrl, int clockSkewSeconds) throws Exception {
        this(issuer, JWKSourceBuilder
                .create(URI.create(jwksUrl).toURL(), new DefaultResourceRetriever(3000, 3000, 512 * 1024))
                .rateLimited(false)
                .build(), clockSkewSeconds);
    }

    /** With a given key source (tests: an immutable JWK set). */
    JwtVerifier(String issuer, JWKSource<SecurityContext> keys, int clockSkewSeconds) {
        if (clockSkewSeconds < 0) {
            throw new IllegalArgumentException("clock skew must not be negative");
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(new HashSet<>(Set.of(
                JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256,
                JWSAlgorithm.ES256, JWSAlgorithm.ES384)), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), new HashSet<>(Set.of("exp", "iss")));
        claims.setMaxClockSkew(clockSkewSeconds);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** Throws with nimbus's message, e.g. "Signed JWT rejected: Invalid signature" or "Expired JWT". */
    JWTClaimsSet verify(String token) throws Exception {
        return processor.process(token, null);
    }

    /** {@code TOKEN_CLOCK_SKEW_SECONDS}: a non-negative integer, default 2. */
    static int clockSkew(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_CLOCK_SKEW_SECONDS;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("TOKEN_CLOCK_SKEW_SECONDS must be a non-negative integer");
    }
}
