package dive.reference.backend;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.*;

class KeyDerivationTest {
    /**
     * The KAS derives the key it releases with its own copy of this code; its KeyDerivationTest holds this very
     * vector, so a divergence between the two modules fails a unit test.
     */
    @Test
    void fixedTestVectorSharedWithTheKas() {
        assertEquals("+Tm3Hh+6Wr3VxvKcv6dUna9w3TXp+qt9Nii9I/RyhdU=",
                new KeyDerivation("dive-test-master-key-0001").dek("doc-FRA-003"));
    }

    @Test
    void deterministicPerResourceAndPerMasterKey() {
        KeyDerivation k = new KeyDerivation("master-1");
        assertEquals(k.dek("doc-FRA-001"), new KeyDerivation("master-1").dek("doc-FRA-001"));
        assertNotEquals(k.dek("doc-FRA-001"), k.dek("doc-FRA-002"));
        assertNotEquals(k.dek("doc-FRA-001"), new KeyDerivation("master-2").dek("doc-FRA-001"));
        assertEquals(32, Base64.getDecoder().decode(k.dek("x")).length);
    }
}
