package dive.verify.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies JWTs of one realm the way a relying party must: the signature
 * against the realm's JWKS (fetched from {@code jwks_uri}, cached), {@code iss}
 * equal to the realm's public issuer, {@code exp} in the future; for an ID
 * token also {@code aud} containing the client id and {@code nonce} equal to
 * the one sent. Failures throw {@link TokenVerificationException} naming what failed.
 */
public final class TokenVerifier {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);
    private static final int JWKS_SIZE_LIMIT = 512 * 1024;

    private final String issuer;
    private final String clientId;
    private final JWKSource<SecurityContext> keys;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor;

    /** A verifier fetching keys from {@code jwksUri} (connect 5 s, read 15 s, cached). */
    public TokenVerifier(String issuer, String clientId, URI jwksUri) {
        this(issuer, clientId, remote(jwksUri), Clock.systemUTC());
    }

    TokenVerifier(String issuer, String clientId, JWKSource<SecurityContext> keys, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clientId = clientId;
        this.keys = keys;
        this.clock = clock;
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier((claims, ctx) -> { /* checked below, with precise messages */ });
    }

    private static JWKSource<SecurityContext> remote(URI jwksUri) {
        try {
            DefaultResourceRetriever retriever = new DefaultResourceRetriever(
                    (int) OidcHttp.CONNECT_TIMEOUT.toMillis(), (int) OidcHttp.REQUEST_TIMEOUT.toMillis(), JWKS_SIZE_LIMIT);
            return JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL(), retriever).retrying(true).build();
        } catch (MalformedURLException e) {
            throw new OidcException("jwks_uri is not a URL: " + jwksUri);
        }
    }

    public String issuer() { return issuer; }

    /** Signature, issuer and expiry. */
    public VerifiedToken verifyAccessToken(String token) {
        return new VerifiedToken(verify(token, "access token"));
    }

    /** Signature, issuer, expiry, audience (the client id) and nonce (when {@code expectedNonce} is not null). */
    public VerifiedToken verifyIdToken(String token, String expectedNonce) {
        JWTClaimsSet claims = verify(token, "ID token");
        List<String> aud = claims.getAudience();
        if (clientId != null && (aud == null || !aud.contains(clientId))) {
            throw new TokenVerificationException("ID token of " + issuer + ": audience " + aud + " does not contain " + clientId);
        }
        if (expectedNonce != null) {
            Object nonce = claims.getClaim("nonce");
            if (nonce == null) throw new TokenVerificationException("ID token of " + issuer + ": nonce missing");
            if (!expectedNonce.equals(nonce.toString())) {
                throw new TokenVerificationException("ID token of " + issuer + ": nonce does not match the one sent");
            }
        }
        return new VerifiedToken(claims);
    }

    private JWTClaimsSet verify(String token, String what) {
        if (token == null || token.isBlank()) throw new TokenVerificationException(what + ": none given");
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new TokenVerificationException(what + ": not a signed JWT (" + e.getMessage() + ")");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJOSEException e) {
            throw new TokenVerificationException(what + ": signature not verified against the JWKS of " + issuer
                    + " (alg " + jwt.getHeader().getAlgorithm() + ", kid " + jwt.getHeader().getKeyID() + "): " + e.getMessage(), e);
        } catch (JOSEException e) {
            throw new TokenVerificationException(what + ": signature could not be checked, the JWKS of " + issuer
                    + " is unavailable: " + e.getMessage(), e);
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new TokenVerificationException(what + ": issuer " + claims.getIssuer() + ", expected " + issuer);
        }
        if (claims.getExpirationTime() == null) throw new TokenVerificationException(what + " of " + issuer + ": no exp claim");
        Instant exp = claims.getExpirationTime().toInstant();
        Instant now = clock.instant();
        if (!exp.isAfter(now)) {
            throw new TokenVerificationException(what + " of " + issuer + ": expired at " + exp + " (now " + now + ")");
        }
        return claims;
    }

    @Override public String toString() { return "TokenVerifier[" + issuer + ", client " + clientId + "]"; }
}
