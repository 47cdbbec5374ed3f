package dive.verify.probe;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IndexInfoTest {
    @Test
    void readsNameKeysInOrderAndUniqueness() {
        IndexInfo ix = IndexInfo.of(new Document("v", 2).append("key", new Document("issuerUrl", 1).append("tenant", -1))
                .append("name", "issuerUrl_1_tenant_-1").append("unique", true));
        assertThat(ix).isEqualTo(new IndexInfo("issuerUrl_1_tenant_-1", List.of("issuerUrl", "tenant"), true));
        assertThat(ix.toString()).isEqualTo("issuerUrl_1_tenant_-1 [issuerUrl, tenant] unique");
    }

    @Test
    void notUniqueUnlessSaidSo() {
        assertThat(IndexInfo.of(new Document("key", new Document("tenant", 1)).append("name", "tenant_1")).unique()).isFalse();
        assertThat(IndexInfo.of(new Document("key", new Document("tenant", 1)).append("name", "t").append("unique", false)).unique()).isFalse();
        assertThat(new IndexInfo("tenant_1", List.of("tenant"), false).toString()).isEqualTo("tenant_1 [tenant]");
    }

    @Test
    void anIndexWithoutKeyDocumentHasNoKeys() {
        assertThat(IndexInfo.of(new Document("name", "odd")).keys()).isEmpty();
    }

    @Test
    void isOnComparesTheWholeOrderedKeyList() {
        IndexInfo compound = new IndexInfo("c", List.of("issuerUrl", "tenant"), true);
        assertThat(compound.isOn(List.of("issuerUrl"))).isFalse();
        assertThat(compound.isOn(List.of("tenant", "issuerUrl"))).isFalse();
        assertThat(compound.isOn(List.of("issuerUrl", "tenant"))).isTrue();
    }

    @Test
    void keysAreACopy() {
        List<String> keys = new ArrayList<>(List.of("a"));
        IndexInfo ix = new IndexInfo("a_1", keys, false);
        keys.add("b");
        assertThat(ix.keys()).containsExactly("a");
        assertThatThrownBy(() -> ix.keys().add("c")).isInstanceOf(UnsupportedOperationException.class);
    }
}
