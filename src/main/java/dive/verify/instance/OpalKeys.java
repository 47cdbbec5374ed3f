package dive.verify.instance;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/**
 * The RSA key pair with which the hub's OPAL server signs and verifies client
 * tokens, in the forms OPAL reads from its environment: the private key as
 * PEM with newlines replaced by "_", the public key as an OpenSSH line.
 */
public final class OpalKeys {
    private OpalKeys() {}

    public record Pair(String privateKeyEnv, String publicKeySsh) {}

    public static Pair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            String b64 = Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(kp.getPrivate().getEncoded());
            String pem = "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----";
            return new Pair(pem.replace('\n', '_'), ssh((RSAPublicKey) kp.getPublic()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is not available in this JVM", e);
        }
    }

    /** RFC 4253 "ssh-rsa" public key blob: string type, mpint e, mpint n. */
    static String ssh(RSAPublicKey key) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            writeBytes(out, "ssh-rsa".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            writeBytes(out, key.getPublicExponent().toByteArray());
            writeBytes(out, key.getModulus().toByteArray());
            return "ssh-rsa " + Base64.getEncoder().encodeToString(bytes.toByteArray()) + " dive-verify-opal";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }
}
