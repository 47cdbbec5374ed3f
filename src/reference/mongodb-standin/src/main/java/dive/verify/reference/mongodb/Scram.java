package dive.verify.reference.mongodb;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server side of SCRAM (RFC 5802, RFC 7677) as MongoDB uses it:
 * SCRAM-SHA-1 hashes the password as {@code hex(md5(user + ":mongo:" + password))}
 * first, SCRAM-SHA-256 uses the SASLprep'd password. No channel binding.
 * Only salted keys are kept; the password is not stored.
 */
final class Scram {

    private static final SecureRandom RANDOM = new SecureRandom();

    enum Mechanism {
        SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1", "PBKDF2WithHmacSHA1", 10000, 16),
        SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 15000, 28);

        final String saslName;
        final String digest;
        final String hmac;
        final String pbkdf2;
        final int defaultIterations;
        final int saltLength;

        Mechanism(String saslName, String digest, String hmac, String pbkdf2, int iterations, int saltLength) {
            this.saslName = saslName;
            this.digest = digest;
            this.hmac = hmac;
            this.pbkdf2 = pbkdf2;
            this.defaultIterations = iterations;
            this.saltLength = saltLength;
        }

        static Mechanism bySaslName(String name) {
            for (Mechanism m : values()) {
                if (m.saslName.equals(name)) {
                    return m;
                }
            }
            return null;
        }

        int keyLength() {
            return this == SHA_1 ? 20 : 32;
        }
    }

    /** The stored form of one user's password for one mechanism. */
    record Credential(Mechanism mechanism, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    }

    /** Thrown for every failed authentication; the message is safe to return to the client. */
    static final class AuthenticationFailed extends Exception {
        AuthenticationFailed(String message) {
            super(message);
        }
    }

    private Scram() {
    }

    /** MongoDB's credential for a user, salted freshly. */
    static Credential mongoCredential(Mechanism m, String user, char[] password) {
        byte[] salt = new byte[m.saltLength];
        RANDOM.nextBytes(salt);
        return credential(m, mongoPassword(m, user, password), salt, m.defaultIterations);
    }

    /** The password as it goes into Hi(): md5-hex for SHA-1 (MongoDB legacy), SASLprep for SHA-256. */
    static char[] mongoPassword(Mechanism m, String user, char[] password) {
        if (m == Mechanism.SHA_1) {
            try {
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                byte[] digest = md5.digest((user + ":mongo:" + new String(password)).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(digest).toCharArray();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return saslPrep(password);
    }

    /** A pragmatic SASLprep: non-ASCII spaces become spaces, soft hyphens and zero-widths vanish, then NFKC. */
    static char[] saslPrep(char[] password) {
        boolean ascii = true;
        for (char c : password) {
            if (c >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return password.clone();
        }
        StringBuilder sb = new StringBuilder();
        for (char c : password) {
            if (c == '\u00AD' || c == '\u200B' || c == '\u2060' || c == '\uFEFF' || c == '\u180E'
                    || (c >= '\uFE00' && c <= '\uFE0F') || c == '\u034F' || c == '\u200C' || c == '\u200D') {
                continue;
            }
            sb.append(Character.isSpaceChar(c) ? ' ' : c);
        }
        return Normalizer.normalize(sb, Normalizer.Form.NFKC).toCharArray();
    }

    static Credential credential(Mechanism m, char[] preparedPassword, byte[] salt, int iterations) {
        byte[] salted = hi(m, preparedPassword, salt, iterations);
        byte[] clientKey = hmac(m, salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = hash(m, clientKey);
        byte[] serverKey = hmac(m, salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new Credential(m, salt.clone(), iterations, storedKey, serverKey);
    }

    static byte[] hi(Mechanism m, char[] password, byte[] salt, int iterations) {
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance(m.pbkdf2);
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, m.keyLength() * 8);
            try {
                return f.generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(Mechanism m, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(m.hmac);
            mac.init(new SecretKeySpec(key, m.hmac));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hash(Mechanism m, byte[] data) {
        try {
            return MessageDigest.getInstance(m.digest).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String newNonce() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /**
     * One server-side conversation: {@link #start} with the client-first
     * message, then {@link #finish} with the client-final message.
     */
    static final class Conversation {
        private final Mechanism mechanism;
        private final Function<String, Credential> credentials;
        private final String serverNonceSuffix;

        private String user;
        private Credential credential;
        private String clientFirstBare;
        private String serverFirst;
        private String gs2Header;
        private String nonce;
        private boolean finished;

        /** @param credentials user name → its credential for this mechanism, or null if unknown */
        Conversation(Mechanism mechanism, Function<String, Credential> credentials) {
            this(mechanism, credentials, newNonce());
        }

        Conversation(Mechanism mechanism, Function<String, Credential> credentials, String serverNonceSuffix) {
            this.mechanism = mechanism;
            this.credentials = credentials;
            this.serverNonceSuffix = serverNonceSuffix;
        }

        Mechanism mechanism() {
            return mechanism;
        }

        String user() {
            return user;
        }

        boolean finished() {
            return finished;
        }

        /** client-first-message → server-first-message */
        String start(String clientFirst) throws AuthenticationFailed {
            if (serverFirst != null) {
                throw new AuthenticationFailed("SCRAM conversation already started");
            }
            // gs2-header: gs2-cbind-flag "," [ authzid ] ","
            int first = clientFirst.indexOf(',');
            int second = first < 0 ? -1 : clientFirst.indexOf(',', first + 1);
            if (second < 0) {
                throw new AuthenticationFailed("malformed SCRAM client-first message");
            }
            String cbind = clientFirst.substring(0, first);
            if (cbind.startsWith("p")) {
                throw new AuthenticationFailed("SCRAM channel binding is not supported");
            }
            if (!cbind.equals("n") && !cbind.equals("y")) {
                throw new AuthenticationFailed("malformed SCRAM gs2 header");
            }
            gs2Header = clientFirst.substring(0, second + 1);
            clientFirstBare = clientFirst.substring(second + 1);
            Map<Character, String> attrs = attributes(clientFirstBare);
            if (clientFirstBare.startsWith("m=")) {
                throw new AuthenticationFailed("SCRAM extensions are not supported");
            }
            String n = attrs.get('n');
            String r = attrs.get('r');
            if (n == null || r == null || r.isEmpty()) {
                throw new AuthenticationFailed("SCRAM client-first message lacks n= or r=");
            }
            user = n.replace("=2C", ",").replace("=3D", "=");
            nonce = r + serverNonceSuffix;
            credential = credentials.apply(user);
            Credential c = credential;
            if (c == null) {
                // Answer like for a known user so that user names cannot be probed; fail at the end.
                byte[] fakeSalt = hash(mechanism, (user + serverNonceSuffix).getBytes(StandardCharsets.UTF_8));
                byte[] salt = new byte[mechanism.saltLength];
                System.arraycopy(fakeSalt, 0, salt, 0, Math.min(salt.length, fakeSalt.length));
                serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i="
                        + mechanism.defaultIterations;
            } else {
                serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(c.salt()) + ",i="
                        + c.iterations();
            }
            return serverFirst;
        }

        /** client-final-message → server-final-message ("v=..."), or AuthenticationFailed */
        String finish(String clientFinal) throws AuthenticationFailed {
            if (serverFirst == null || finished) {
                throw new AuthenticationFailed("SCRAM conversation out of order");
            }
            int proofAt = clientFinal.lastIndexOf(",p=");
            if (proofAt < 0) {
                throw new AuthenticationFailed("SCRAM client-final message lacks a proof");
            }
            String withoutProof = clientFinal.substring(0, proofAt);
            Map<Character, String> attrs = attributes(withoutProof);
            String expectedC = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
            if (!expectedC.equals(attrs.get('c'))) {
                throw new AuthenticationFailed("SCRAM channel binding mismatch");
            }
            if (!nonce.equals(attrs.get('r'))) {
                throw new AuthenticationFailed("SCRAM nonce mismatch");
            }
            byte[] proof;
            try {
                proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
            } catch (IllegalArgumentException e) {
                throw new AuthenticationFailed("SCRAM proof is not base64");
            }
            if (credential == null) {
                throw new AuthenticationFailed("Authentication failed.");
            }
            byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                    .getBytes(StandardCharsets.UTF_8);
            byte[] clientSignature = hmac(mechanism, credential.storedKey(), authMessage);
            if (proof.length != clientSignature.length) {
                throw new AuthenticationFailed("Authentication failed.");
            }
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
            }
            if (!MessageDigest.isEqual(hash(mechanism, clientKey), credential.storedKey())) {
                throw new AuthenticationFailed("Authentication failed.");
            }
            finished = true;
            byte[] serverSignature = hmac(mechanism, credential.serverKey(), authMessage);
            return "v=" + Base64.getEncoder().encodeToString(serverSignature);
        }

        private static Map<Character, String> attributes(String message) throws AuthenticationFailed {
            Map<Character, String> out = new HashMap<>();
            for (String part : message.split(",")) {
                if (part.length() < 2 || part.charAt(1) != '=') {
                    throw new AuthenticationFailed("malformed SCRAM attribute");
                }
                out.putIfAbsent(part.charAt(0), part.substring(2));
            }
            return out;
        }
    }
}
