package dive.verify.reference.mongodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;

import org.junit.jupiter.api.Test;

/** The server steps against the published test vectors of RFC 5802 (SHA-1) and RFC 7677 (SHA-256). */
class ScramTest {

    @Test
    void rfc7677Sha256() throws Exception {
        Scram.Credential c = Scram.credential(Scram.Mechanism.SHA_256, "pencil".toCharArray(),
                Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        Scram.Conversation conv = new Scram.Conversation(Scram.Mechanism.SHA_256,
                u -> u.equals("user") ? c : null, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                conv.start("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
                conv.finish("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                        + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
    }

    @Test
    void rfc5802Sha1() throws Exception {
        Scram.Credential c = Scram.credential(Scram.Mechanism.SHA_1, "pencil".toCharArray(),
                Base64.getDecoder().decode("QSXCR+Q6sek8bf92"), 4096);
        Scram.Conversation conv = new Scram.Conversation(Scram.Mechanism.SHA_1,
                u -> u.equals("user") ? c : null, "3rfcNHYJY1ZVvWVs7j");
        assertEquals("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
                conv.start("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"));
        assertEquals("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
                conv.finish("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="));
    }

    @Test
    void wrongProofAndUnknownUserFail() throws Exception {
        Scram.Credential c = Scram.credential(Scram.Mechanism.SHA_256, "pencil".toCharArray(),
                Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        Scram.Conversation conv = new Scram.Conversation(Scram.Mechanism.SHA_256,
                u -> u.equals("user") ? c : null, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
        conv.start("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        assertThrows(Scram.AuthenticationFailed.class, () -> conv.finish(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                        + "p=AHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));

        Scram.Conversation unknown = new Scram.Conversation(Scram.Mechanism.SHA_256, u -> null, "abc");
        unknown.start("n,,n=nobody,r=xyz");
        assertThrows(Scram.AuthenticationFailed.class, () -> unknown.finish("c=biws,r=xyzabc,p=AAAA"));

        Scram.Conversation nonce = new Scram.Conversation(Scram.Mechanism.SHA_256,
                u -> u.equals("user") ? c : null, "abc");
        nonce.start("n,,n=user,r=xyz");
        assertThrows(Scram.AuthenticationFailed.class, () -> nonce.finish("c=biws,r=other,p=AAAA"));
    }

    @Test
    void mongoSha1PasswordIsMd5Hex() {
        // MongoDB's SCRAM-SHA-1 digests hex(md5("user:mongo:pencil")) instead of the password
        assertEquals("1c33006ec1ffd90f9cadcbcc0e118200",
                new String(Scram.mongoPassword(Scram.Mechanism.SHA_1, "user", "pencil".toCharArray())));
    }
}
