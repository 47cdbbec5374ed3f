package dive.verify.probe;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvidenceTest {
    @Test
    void orFailPassesOkEvidenceOnAndThrowsQuotingTheObservation() {
        Evidence ok = Evidence.ok("ping", "PONG");
        assertThat(ok.orFail()).isSameAs(ok);
        assertThatThrownBy(() -> Evidence.failed("ping", "NOAUTH").orFail())
                .isInstanceOf(AssertionError.class).hasMessage("NOAUTH\n(the check: ping)");
    }

    @Test
    void toStringSaysOkOrFail() {
        assertThat(Evidence.ok("a", "b")).hasToString("OK   a: b");
        assertThat(Evidence.failed("a", "b")).hasToString("FAIL a: b");
    }

    @Test
    void messageJoinsTheCausesThatSaySomethingNew() {
        Exception e = new RuntimeException("outer", new IOException("inner", new IOException("root")));
        assertThat(Evidence.message(e)).isEqualTo("outer ← inner ← root");
    }

    @Test
    void messageSkipsCausesWithoutOrWithARepeatedMessage() {
        Exception e = new RuntimeException("connect failed: refused", new IOException((String) null, new IOException("refused")));
        assertThat(Evidence.message(e)).isEqualTo("connect failed: refused");
    }

    @Test
    void anExceptionWithoutMessageIsNamedByItsClass() {
        assertThat(Evidence.message(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(Evidence.message(new IllegalStateException((String) null, new IOException("why")))).isEqualTo("IllegalStateException ← why");
    }
}
