package dive.reference.backend;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TokenVerifierTest {
    static final String ISSUER = "http://localhost:8443/realms/dive-v3-broker-usa";
    static RSAKey realmKey;
    static RSAKey otherKey;
    static ImmutableJWKSet<SecurityContext> keys;

    @BeforeAll
    static void generate() throws Exception {
        realmKey = new RSAKeyGenerator(2048).keyID("realm-kid").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("realm-kid").generate();
        keys = new ImmutableJWKSet<>(new JWKSet(realmKey.toPublicJWK()));
    }

    static String token(RSAKey key, String issuer, Instant exp, Map<String, Object> claims) throws Exception {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).subject("sub-1").expirationTime(Date.from(exp));
        claims.forEach(b::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), b.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void validTokenGivesItsClaims() throws Exception {
        JWTClaimsSet c = new TokenVerifier(ISSUER, keys, 2).verify(
                token(realmKey, ISSUER, Instant.now().plusSeconds(60), Map.of("organizationType", "INDUSTRY")));
        assertEquals("INDUSTRY", Subject.fromClaims(c).organizationType());
        assertEquals(ISSUER, Subject.fromClaims(c).issuer());
    }

    @Test
    void reSignedWithAnotherKeyUnderTheRealmsKidIsAnInvalidSignature() throws Exception {
        String forged = token(otherKey, ISSUER, Instant.now().plusSeconds(60), Map.of());
        Exception e = assertThrows(Exception.class, () -> new TokenVerifier(ISSUER, keys, 2).verify(forged));
        assertEquals("Signed JWT rejected: Invalid signature", e.getMessage());
    }

    @Test
    void expiredAFewSecondsAgoIsExpiredWithTheDefaultSkew() throws Exception {
        String expired = token(realmKey, ISSUER, Instant.now().minusSeconds(10), Map.of());
        int skew = Config.from(Map.of()).tokenClockSkewSeconds();
        assertEquals(2, skew);
        Exception e = assertThrows(Exception.class, () -> new TokenVerifier(ISSUER, keys, skew).verify(expired));
        assertEquals("Expired JWT", e.getMessage());
        // nimbus's default of 60 s would have let it through
        assertNotNull(new TokenVerifier(ISSUER, keys, 60).verify(expired));
    }

    @Test
    void skewFromTheEnvironment() {
        assertEquals(7, Config.from(Map.of("TOKEN_CLOCK_SKEW_SECONDS", "7")).tokenClockSkewSeconds());
        assertThrows(IllegalArgumentException.class, () -> Config.from(Map.of("TOKEN_CLOCK_SKEW_SECONDS", "-1")));
        assertThrows(IllegalArgumentException.class, () -> Config.from(Map.of("TOKEN_CLOCK_SKEW_SECONDS", "x")));
    }

    @Test
    void wrongIssuerIsRejected() throws Exception {
        String t = token(realmKey, "http://evil/realms/x", Instant.now().plusSeconds(60), Map.of());
        Exception e = assertThrows(Exception.class, () -> new TokenVerifier(ISSUER, keys, 2).verify(t));
        assertTrue(e.getMessage().contains("iss"), e.getMessage());
    }
}
