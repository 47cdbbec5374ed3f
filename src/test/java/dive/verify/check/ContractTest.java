package dive.verify.check;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContractTest {
    @Test
    void namesOfTheContract() {
        assertThat(Contract.realm("fra")).isEqualTo("dive-v3-broker-fra");
        assertThat(Contract.mongoDatabase("fra")).isEqualTo("dive-v3-fra");
        assertThat(Contract.SPOKE_SERVICES).hasSize(9).startsWith("postgres").endsWith("frontend");
    }
}
