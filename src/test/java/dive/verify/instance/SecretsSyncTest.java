package dive.verify.instance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsSyncTest {
    @TempDir Path dir;

    @Test
    void noGeneratedSecretStartsWithADashThatACommandLineWouldTakeForAnOption() {
        // base64url has '-' in its alphabet: one token in 64 would start with it
        for (int i = 0; i < 5000; i++) {
            org.assertj.core.api.Assertions.assertThat(SecretsSync.randomToken(24)).doesNotStartWith("-");
        }
    }

    @Test
    void generatesMissingKeepsExistingAndIsIdempotent() throws IOException {
        EnvFile env = new EnvFile(dir.resolve(".env"));
        env.ensureExists("# test\n");
        Files.writeString(env.path(), "POSTGRES_PASSWORD_FRA=mine-own-value\n", java.nio.file.StandardOpenOption.APPEND);

        SecretsSync.Result first = SecretsSync.sync(env, InstanceCode.of("FRA"));
        assertThat(first.kept()).contains("POSTGRES_PASSWORD_FRA");
        assertThat(first.generated()).contains("MONGO_PASSWORD_FRA", "OPAL_AUTH_MASTER_TOKEN", "DATABASE_URL").doesNotContain("POSTGRES_PASSWORD_FRA");
        var values = env.read();
        assertThat(values.get("POSTGRES_PASSWORD_FRA")).isEqualTo("mine-own-value");
        assertThat(values.get("DATABASE_URL")).isEqualTo("postgresql://postgres:mine-own-value@postgres-fra:5432/dive_v3");
        assertThat(values.get("MONGO_PASSWORD_FRA")).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(values.get("MONGO_PASSWORD_FRA")).isNotEqualTo(values.get("REDIS_PASSWORD_FRA"));
        // what the sync reports (and its callers print) names variables, never their values
        assertThat(values.values()).allSatisfy(v -> assertThat(first.toString()).doesNotContain(v));

        byte[] before = Files.readAllBytes(env.path());
        SecretsSync.Result second = SecretsSync.sync(env, InstanceCode.of("FRA"));
        assertThat(second.generated()).isEmpty();
        assertThat(Files.readAllBytes(env.path())).isEqualTo(before);
    }

    @Test
    void warnsWhenDatabaseUrlCannotBeMade() throws IOException {
        EnvFile env = new EnvFile(dir.resolve(".env"));
        env.ensureExists("");
        Files.writeString(env.path(), "POSTGRES_PASSWORD_GBR=\n");
        SecretsSync.Result r = SecretsSync.sync(env, InstanceCode.of("GBR"));
        assertThat(r.generated()).doesNotContain("DATABASE_URL");
        assertThat(r.warnings()).singleElement().asString()
                .contains("DATABASE_URL not generated").contains("POSTGRES_PASSWORD_GBR is empty");
    }
}
