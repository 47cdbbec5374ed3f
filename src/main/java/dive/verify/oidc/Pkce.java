package dive.verify.oidc;

import dive.verify.report.Secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Proof Key for Code Exchange (RFC 7636), method S256 only, and the other
 * one-time values of an authorization request (state, nonce).
 * The verifier is registered as a secret; {@link #toString()} shows only the challenge.
 */
public record Pkce(String verifier, String challenge) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    public static final String METHOD = "S256";

    /** A new verifier (32 random bytes, 43 characters) and its S256 challenge. */
    public static Pkce create() {
        String verifier = random(32);
        Secrets.register(verifier);
        return new Pkce(verifier, s256(verifier));
    }

    /** BASE64URL(SHA-256(ASCII(verifier))). */
    public static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return B64URL.encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    public String method() { return METHOD; }

    /** A fresh {@code state} value (binds the callback to this request). */
    public static String newState() { return random(24); }

    /** A fresh {@code nonce} value (binds the ID token to this request). */
    public static String newNonce() { return random(24); }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return B64URL.encodeToString(b);
    }

    @Override public String toString() { return "Pkce[S256, challenge=" + challenge + "]"; }
}
