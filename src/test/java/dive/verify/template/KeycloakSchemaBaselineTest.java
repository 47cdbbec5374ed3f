package dive.verify.template;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Keycloak schema that Postgres loads at its first start
 * (templates/spoke/postgres-init/02-keycloak-schema.sql, made by
 * scripts/keycloak-schema-baseline.sh) must be the schema of the pinned
 * Keycloak, must reach the hub too, and must hold nothing but schema and
 * Liquibase's bookkeeping: a realm, a key or a user in it would be shared by
 * every deployment.
 */
class KeycloakSchemaBaselineTest {
    private static final Path SPOKE = Path.of("templates/spoke/postgres-init/02-keycloak-schema.sql");
    private static final Path HUB = Path.of("templates/hub/postgres-init/02-keycloak-schema.sql");

    private static String pinnedKeycloak() throws IOException {
        return Files.readAllLines(Path.of("templates/kit/versions.env")).stream()
                .filter(l -> l.startsWith("KEYCLOAK_VERSION="))
                .map(l -> l.substring("KEYCLOAK_VERSION=".length()).trim())
                .findFirst().orElseThrow();
    }

    @Test
    void isTheSchemaOfThePinnedKeycloak() throws IOException {
        String version = pinnedKeycloak();
        String sql = Files.readString(SPOKE);
        assertThat(sql.lines().findFirst().orElseThrow())
                .as("regenerate with scripts/keycloak-schema-baseline.sh after changing KEYCLOAK_VERSION")
                .startsWith("-- Keycloak " + version + " database schema");
        assertThat(sql).containsPattern("INSERT INTO public\\.migration_model VALUES \\('[^']*', '" + Pattern.quote(version) + "'");
        assertThat(sql).contains("\\connect keycloak").contains("CREATE TABLE public.databasechangelog");
    }

    @Test
    void theHubLoadsTheSameFile() throws IOException {
        assertThat(Files.readString(HUB)).isEqualTo(Files.readString(SPOKE));
    }

    @Test
    void holdsNoRowsButLiquibaseBookkeeping() throws IOException {
        Matcher m = Pattern.compile("(?m)^INSERT INTO public\\.(\\w+) ").matcher(Files.readString(SPOKE));
        Set<String> tables = new TreeSet<>();
        while (m.find()) tables.add(m.group(1));
        assertThat(tables).containsExactly("databasechangelog", "databasechangeloglock", "migration_model");
        assertThat(Files.readString(SPOKE)).doesNotContainPattern("(?im)^COPY ");
    }

    @Test
    void runsOnAnyPostgres15Psql() throws IOException {
        // pg_dump's \restrict lines need a psql of late 2025; the official postgres:15 of an older pull lacks it
        assertThat(Files.readString(SPOKE)).doesNotContainPattern("(?m)^\\\\(un)?restrict ");
    }
}
