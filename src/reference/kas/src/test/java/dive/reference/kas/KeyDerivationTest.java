package dive.reference.kas;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class KeyDerivationTest {
    @Test
    void deterministicPerResourceAndPerMasterKey() {
        KeyDerivation k = new KeyDerivation("master-1");
        assertEquals(k.dek("doc-FRA-001"), new KeyDerivation("master-1").dek("doc-FRA-001"));
        assertNotEquals(k.dek("doc-FRA-001"), k.dek("doc-FRA-002"));
        assertNotEquals(k.dek("doc-FRA-001"), new KeyDerivation("master-2").dek("doc-FRA-001"));
        assertEquals(32, Base64.getDecoder().decode(k.dek("x")).length);
    }

    /**
     * The backend derives the same key to encrypt its seeded ZTDF payloads (it shares no code with the KAS); its
     * KeyDerivationTest holds this very vector, so a divergence fails a unit test on one side or the other.
     */
    @Test
    void fixedTestVectorSharedWithTheBackend() {
        assertEquals("+Tm3Hh+6Wr3VxvKcv6dUna9w3TXp+qt9Nii9I/RyhdU=",
                new KeyDerivation("dive-test-master-key-0001").dek("doc-FRA-003"));
    }

    @Test
    void coiVariants() {
        assertEquals(List.of("NATO", "FVEY"), Attributes.coi("[\"NATO\",\"FVEY\"]"));
        assertEquals(List.of("NATO"), Attributes.coi(List.of("NATO")));
        assertEquals(List.of(), Attributes.coi(null));
    }

    @Test
    void answerAlwaysCarriesAllFields() {
        Map<String, Object> a = KasApp.answer(false, null, "kao-1", "no", null);
        assertEquals(List.of("success", "dek", "kaoId", "denialReason", "authzDecision"), List.copyOf(a.keySet()));
    }
}
