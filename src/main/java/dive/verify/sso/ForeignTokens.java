package dive.verify.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dive.verify.report.Secrets;

import java.text.ParseException;

/** Tokens a realm did not sign: the attacker's copy of a real token. */
public final class ForeignTokens {
    private ForeignTokens() {}

    /**
     * The same header (key id included) and claims, signed with a freshly made
     * RSA key: only the signature can tell it from the real one.
     */
    public static String resignedWithAnotherKey(String token) {
        try {
            SignedJWT real = SignedJWT.parse(token);
            RSAKey attacker = new RSAKeyGenerator(2048).keyID(real.getHeader().getKeyID()).generate();
            SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(real.getHeader().getKeyID())
                    .type(real.getHeader().getType()).build(), real.getJWTClaimsSet());
            forged.sign(new RSASSASigner(attacker));
            String out = forged.serialize();
            Secrets.register(out);
            return out;
        } catch (ParseException | JOSEException e) {
            throw new IllegalArgumentException("cannot re-sign the token: " + e.getMessage());
        }
    }
}
