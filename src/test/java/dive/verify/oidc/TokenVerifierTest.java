package dive.verify.oidc;

import com.nimbusds.jose.JOSEException;
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

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {
    static final String ISS = "http://localhost:8443/realms/dive-v3-broker-fra";
    static final String CLIENT = "dive-v3-broker-fra";
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static RSAKey realmKey;
    static RSAKey otherKey;
    static TokenVerifier verifier;

    @BeforeAll
    static void keys() throws JOSEException {
        realmKey = new RSAKeyGenerator(2048).keyID("realm-key").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("realm-key").generate();   // same kid, different key: a forgery
        verifier = new TokenVerifier(ISS, CLIENT, new ImmutableJWKSet<SecurityContext>(new JWKSet(realmKey.toPublicJWK())),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static String token(RSAKey key, Consumer<JWTClaimsSet.Builder> claims) throws JOSEException {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
                .issuer(ISS).subject("f:1234:testuser-fra-1").audience(CLIENT)
                .issueTime(Date.from(NOW.minusSeconds(10))).expirationTime(Date.from(NOW.plusSeconds(300)))
                .claim("nonce", "n-123456")
                .claim("uniqueID", "testuser-fra-5").claim("clearance", "SECRET")
                .claim("countryOfAffiliation", "FRA").claim("organizationType", "GOVERNMENT")
                .claim("acpCOI", List.of("NATO", "FVEY"));
        claims.accept(b);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), b.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void aGoodIdTokenVerifiesAndExposesTheDiveClaims() throws JOSEException {
        VerifiedToken t = verifier.verifyIdToken(token(realmKey, b -> {}), "n-123456");
        assertThat(t.iss()).isEqualTo(ISS);
        assertThat(t.sub()).isEqualTo("f:1234:testuser-fra-1");
        assertThat(t.exp()).isEqualTo(NOW.plusSeconds(300));
        assertThat(t.uniqueID()).isEqualTo("testuser-fra-5");
        assertThat(t.clearance()).isEqualTo("SECRET");
        assertThat(t.countryOfAffiliation()).isEqualTo("FRA");
        assertThat(t.organizationType()).isEqualTo("GOVERNMENT");
        assertThat(t.acpCOI()).containsExactly("NATO", "FVEY");
        assertThat(t.claim("nonce")).isEqualTo("n-123456");
        assertThat(t.toString()).contains(ISS).doesNotContain("eyJ");
    }

    @Test
    void aTokenSignedWithAnotherKeyFailsOnTheSignature() throws JOSEException {
        assertThatThrownBy(() -> verifier.verifyAccessToken(token(otherKey, b -> {})))
                .isInstanceOf(TokenVerificationException.class)
                .hasMessageContaining("signature").hasMessageContaining("Invalid signature");
    }

    @Test
    void anUnknownKeyIdFailsOnTheSignature() throws JOSEException {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        assertThatThrownBy(() -> verifier.verifyAccessToken(token(stranger, b -> {})))
                .isInstanceOf(TokenVerificationException.class)
                .hasMessageContaining("signature").hasMessageContaining("kid stranger");
    }

    @Test
    void anotherIssuerIsNamedWithTheExpectedOne() throws JOSEException {
        String t = token(realmKey, b -> b.issuer("http://keycloak-fra:8080/realms/dive-v3-broker-fra"));
        assertThatThrownBy(() -> verifier.verifyAccessToken(t))
                .hasMessageContaining("issuer http://keycloak-fra:8080/realms/dive-v3-broker-fra, expected " + ISS);
    }

    @Test
    void anExpiredTokenFailsNamingExpiry() throws JOSEException {
        String t = token(realmKey, b -> b.expirationTime(Date.from(NOW.minusSeconds(1))));
        assertThatThrownBy(() -> verifier.verifyAccessToken(t)).hasMessageContaining("expired at");
        String noExp = token(realmKey, b -> b.expirationTime(null));
        assertThatThrownBy(() -> verifier.verifyAccessToken(noExp)).hasMessageContaining("no exp");
    }

    @Test
    void idTokenAudienceAndNonceAreChecked() throws JOSEException {
        String otherAud = token(realmKey, b -> b.audience("account"));
        assertThatThrownBy(() -> verifier.verifyIdToken(otherAud, "n-123456"))
                .hasMessageContaining("audience [account] does not contain " + CLIENT);
        assertThat(verifier.verifyAccessToken(otherAud).audience()).containsExactly("account");   // access tokens: no aud check

        String t = token(realmKey, b -> {});
        assertThatThrownBy(() -> verifier.verifyIdToken(t, "another-nonce")).hasMessageContaining("nonce does not match");
        String noNonce = token(realmKey, b -> b.claim("nonce", null));
        assertThatThrownBy(() -> verifier.verifyIdToken(noNonce, "n-123456")).hasMessageContaining("nonce missing");
    }

    @Test
    void garbageIsNotASignedJwt() {
        assertThatThrownBy(() -> verifier.verifyAccessToken("not.a.jwt")).isInstanceOf(TokenVerificationException.class)
                .hasMessageContaining("not a signed JWT");
        assertThatThrownBy(() -> verifier.verifyAccessToken(null)).hasMessageContaining("none given");
    }

    @Test
    void acpCoiIsReadFromAnArrayASingleStringOrAStringHoldingAnArray() throws JOSEException {
        assertThat(verifier.verifyAccessToken(token(realmKey, b -> b.claim("acpCOI", "NATO"))).acpCOI()).containsExactly("NATO");
        assertThat(verifier.verifyAccessToken(token(realmKey, b -> b.claim("acpCOI", "[\"NATO\",\"FVEY\"]"))).acpCOI())
                .containsExactly("NATO", "FVEY");
        assertThat(verifier.verifyAccessToken(token(realmKey, b -> b.claim("acpCOI", List.of("[\"NATO\",\"FVEY\"]")))).acpCOI())
                .containsExactly("NATO", "FVEY");
        assertThat(verifier.verifyAccessToken(token(realmKey, b -> b.claim("acpCOI", null))).acpCOI()).isEmpty();
        assertThat(verifier.verifyAccessToken(token(realmKey, b -> b.claim("acpCOI", List.of()))).acpCOI()).isEmpty();
    }

    @Test
    void singleElementArraysReadAsStrings() throws JOSEException {
        VerifiedToken t = verifier.verifyAccessToken(token(realmKey, b -> b.claim("clearance", List.of("SECRET"))
                .claim("countryOfAffiliation", null)));
        assertThat(t.clearance()).isEqualTo("SECRET");
        assertThat(t.countryOfAffiliation()).isNull();
    }
}
