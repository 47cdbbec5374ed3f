package dive.reference.backend;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The KAS's per-resource data encryption key, copied from the kas module ({@code dive.reference.kas.KeyDerivation};
 * the modules share no code): base64(HMAC-SHA256(KAS_MASTER_KEY, "dek:" + resourceId)), 32 bytes = an AES-256 key.
 * Both modules' KeyDerivationTest check the same fixed vector, so a divergence fails a unit test.
 */
final class KeyDerivation {
    private final SecretKeySpec key;

    KeyDerivation(String masterKey) {
        this.key = new SecretKeySpec(masterKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    String dek(String resourceId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(("dek:" + resourceId).getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
