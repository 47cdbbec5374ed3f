package dive.verify.oidc;

import dive.verify.report.Secrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PkceTest {
    @AfterEach void clear() { Secrets.clear(); }

    @Test
    void s256MatchesRfc7636AppendixB() {
        assertThat(Pkce.s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void createdVerifierIsValidRegisteredAndHidden() {
        Pkce p = Pkce.create();
        assertThat(p.verifier()).hasSize(43).matches("[A-Za-z0-9_-]+");   // 43..128 unreserved characters
        assertThat(p.challenge()).isEqualTo(Pkce.s256(p.verifier()));
        assertThat(p.method()).isEqualTo("S256");
        assertThat(Secrets.isSecret(p.verifier())).isTrue();
        assertThat(p.toString()).doesNotContain(p.verifier()).contains(p.challenge());
    }

    @Test
    void stateAndNonceAreFreshEachTime() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            assertThat(seen.add(Pkce.newState())).isTrue();
            assertThat(seen.add(Pkce.newNonce())).isTrue();
        }
        assertThat(Pkce.newState()).hasSize(32).matches("[A-Za-z0-9_-]+");
    }
}
