package dive.verify.instance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a spoke was registered, as SpokeRegistration leaves it in the .env. */
class RegisteredAtTest {
    @TempDir Path dir;

    @Test
    void readsTheInstantTheRegistrationWrote() {
        assertThat(Instance.registeredAt("2026-01-27T10:00:00.123Z", ".env")).contains(Instant.parse("2026-01-27T10:00:00.123Z"));
        assertThat(Instance.registeredAt(" 2026-01-27T10:00:00Z ", ".env")).contains(Instant.parse("2026-01-27T10:00:00Z"));
    }

    @Test
    void neverRegisteredIsEmpty() {
        assertThat(Instance.registeredAt(null, ".env")).isEqualTo(Optional.empty());
        assertThat(Instance.registeredAt("", ".env")).isEqualTo(Optional.empty());
    }

    @Test
    void aValueThatIsNoInstantIsAnErrorNamingTheFile() {
        assertThatThrownBy(() -> Instance.registeredAt("yesterday", "/x/.env"))
                .hasMessage("SPOKE_REGISTERED_AT in /x/.env is not an instant: yesterday");
    }

    @Test
    void theTimeIsNoSecretAndLivesBesideTheTokens() {
        assertThat(Instance.isSecretName(Instance.REGISTERED_AT)).isFalse();
        EnvFile env = new EnvFile(dir.resolve(".env"));
        env.ensureExists("# test\n");
        env.put("registration", Map.of("SPOKE_TOKEN", "t0k3n-abcdef", Instance.REGISTERED_AT, "2026-01-27T10:00:00Z"));
        env.put("registration", Map.of(Instance.REGISTERED_AT, "2026-01-28T10:00:00Z"));
        assertThat(env.read()).containsEntry(Instance.REGISTERED_AT, "2026-01-28T10:00:00Z");
        assertThat(Files.exists(env.path())).isTrue();
    }
}
