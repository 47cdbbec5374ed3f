package dive.verify.steps;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MachineLoadTest {
    @Test
    void readsBusyIdleAndStealFromTheAggregateLine() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        var t = MachineLoad.Ticks.parse("cpu  100 5 20 300 10 1 4 60 0 0").orElseThrow();
        assertThat(t.busy()).isEqualTo(130);
        assertThat(t.idle()).isEqualTo(310);
        assertThat(t.steal()).isEqualTo(60);
    }

    @Test
    void refusesAPerCoreOrShortLine() {
        assertThat(MachineLoad.Ticks.parse("cpu0 1 2 3 4 5 6 7 8")).isEmpty();
        assertThat(MachineLoad.Ticks.parse("cpu 1 2 3")).isEmpty();
    }

    @Test
    void saysHowBusyTheCoresWereAndHowMuchWasStolen() {
        var from = new MachineLoad.Ticks(1000, 1000, 0);
        var to = new MachineLoad.Ticks(1700, 1200, 100);
        assertThat(MachineLoad.describe(from, to, 2, -1)).contains("2 cores were 70 % busy").contains("10.0 % of their time went to other guests")
                .doesNotContain("test JVM");
    }

    @Test
    void saysHowMuchCpuTheTestJvmUsedWhenKnown() {
        var from = new MachineLoad.Ticks(1000, 1000, 0);
        var to = new MachineLoad.Ticks(1700, 1200, 100);
        assertThat(MachineLoad.describe(from, to, 2, 27_400_000_000L)).endsWith("; the test JVM itself used 27 core-seconds");
    }

    @Test
    void saysNothingWhenNoTimePassed() {
        var t = new MachineLoad.Ticks(5, 5, 5);
        assertThat(MachineLoad.describe(t, t, 2, 0)).isEmpty();
    }
}
