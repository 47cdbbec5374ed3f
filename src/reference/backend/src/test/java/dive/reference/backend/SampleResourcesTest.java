package dive.reference.backend;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SampleResourcesTest {
    static final String MASTER = "backend-test-master-key";
    static final List<String> NATO9 = List.of("USA", "FRA", "GBR", "DEU", "CAN", "ITA", "ESP", "NLD", "POL");

    /** AES-256-GCM decryption of a ztdf object with a base64 DEK. */
    static String decrypt(Map<String, Object> ztdf, String dek) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(dek), "AES"),
                new GCMParameterSpec(128, Base64.getDecoder().decode((String) ztdf.get("iv"))));
        return new String(c.doFinal(Base64.getDecoder().decode((String) ztdf.get("ciphertext"))), StandardCharsets.UTF_8);
    }

    record Row(String classification, List<String> rel, List<String> coi, boolean industry) {}

    @Test
    void theEightResourcesOfTheTable() {
        List<Document> docs = SampleResources.forInstance("fra", MASTER);
        List<Row> expected = List.of(
                new Row("UNCLASSIFIED", NATO9, List.of(), true),
                new Row("CONFIDENTIAL", NATO9, List.of(), true),
                new Row("SECRET", NATO9, List.of("NATO"), false),
                new Row("TOP_SECRET", List.of("USA", "GBR", "CAN", "AUS", "NZL"), List.of("FVEY"), false),
                new Row("CONFIDENTIAL", List.of("FRA"), List.of(), false),
                new Row("UNCLASSIFIED", NATO9, List.of(), false),
                new Row("SECRET", NATO9, List.of(), false),
                new Row("TOP_SECRET", NATO9, List.of(), false));
        assertEquals(8, docs.size());
        for (int i = 0; i < 8; i++) {
            Document d = docs.get(i);
            Row r = expected.get(i);
            String id = "doc-FRA-00" + (i + 1);
            assertEquals(id, d.getString("resourceId"));
            assertEquals(r.classification(), d.getString("classification"), id);
            assertEquals(r.rel(), d.get("releasabilityTo"), id);
            assertEquals(r.coi(), d.get("COI"), id);
            assertEquals(r.industry(), d.getBoolean("releasableToIndustry"), id);
            assertEquals("FRA", d.getString("originInstance"));
            assertFalse(d.getString("title").isBlank());
            assertFalse(d.getString("content").isBlank());
            assertNotNull(d.getDate("createdAt"));
            Document z = d.get("ztdf", Document.class);
            assertEquals("kao-" + id, z.getString("kaoId"));
            assertEquals("fra-kas", z.getString("kasId"));
            assertEquals("AES-256-GCM", z.getString("alg"));
            assertEquals(12, Base64.getDecoder().decode(z.getString("iv")).length);
            String plain = "ZTDF payload of " + id + ": " + d.getString("title");
            // GCM output = ciphertext of the same length as the plaintext + a 16-byte tag
            assertEquals(plain.getBytes(StandardCharsets.UTF_8).length + 16,
                    Base64.getDecoder().decode(z.getString("ciphertext")).length);
            assertFalse(d.toJson().contains(plain), "plaintext payload stored in clear");
        }
    }

    @Test
    void seededPayloadDecryptsWithTheDek() throws Exception {
        Document d = SampleResources.forInstance("FRA", MASTER).get(2);
        String dek = new KeyDerivation(MASTER).dek("doc-FRA-003");
        assertEquals("ZTDF payload of doc-FRA-003: FRA NATO secret operations brief",
                decrypt(d.get("ztdf", Document.class), dek));
        assertThrows(AEADBadTagException.class,
                () -> decrypt(d.get("ztdf", Document.class), new KeyDerivation(MASTER).dek("doc-FRA-004")));
        assertThrows(AEADBadTagException.class,
                () -> decrypt(d.get("ztdf", Document.class), new KeyDerivation("other").dek("doc-FRA-003")));
    }

    @Test
    void freshIvPerSeed() {
        Document a = SampleResources.forInstance("FRA", MASTER).get(0).get("ztdf", Document.class);
        Document b = SampleResources.forInstance("FRA", MASTER).get(0).get("ztdf", Document.class);
        assertNotEquals(a.getString("iv"), b.getString("iv"));
    }

    @Test
    void withoutMasterKeyNoZtdf() {
        for (Document d : SampleResources.forInstance("GBR", null)) {
            assertFalse(d.containsKey("ztdf"), d.toJson());
            assertTrue(d.getString("resourceId").startsWith("doc-GBR-00"));
        }
    }
}
