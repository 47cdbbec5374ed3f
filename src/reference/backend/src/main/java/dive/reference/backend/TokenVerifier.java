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

/** Verifies Keycloak-issued JWTs: signature against the JWKS URL (internal), {@code iss} equal to the public issuer. */
public final class TokenVerifier {
    private final DefaultJWTProcessor<SecurityContext> processor;

    public TokenVerifier(String issuer, String jwksUrl) throws Exception {
        JWKSource<SecurityContext> keys = JWKSourceBuilder
                .create(URI.create(jwksUrl).toURL(), new DefaultResourceRetriever(3000, 3000, 512 * 1024))
                .rateLimited(false)
                .build();
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(new HashSet<>(Set.of(
                JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
                JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
                JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512)), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer).build(), new HashSet<>(Set.of("exp", "iss"))));
    }

    public JWTClaimsSet verify(String token) throws Exception {
        return processor.process(token, null);
    }
}
