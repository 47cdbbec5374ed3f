package dive.verify.instance;

import dive.verify.template.ComposeLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;

class HubInitTest {
    @TempDir Path instances;

    @Test
    void hubGetsOpalKeysAPolicyRepositoryAndALoadablePlan() throws IOException {
        var r = new InstanceInit(Path.of("templates").toAbsolutePath(), instances).init("hub", "USA", "Coalition Hub", "kit");
        var env = r.env().read();
        assertThat(env.get("OPAL_AUTH_PUBLIC_KEY")).startsWith("ssh-rsa AAAAB3NzaC1yc2E");
        assertThat(env.get("OPAL_AUTH_PRIVATE_KEY")).startsWith("-----BEGIN PRIVATE KEY-----_").endsWith("_-----END PRIVATE KEY-----")
                .doesNotContain("\n");
        assertThat(env).containsKey("FEDERATION_ADMIN_TOKEN");
        Path repo = r.directory().resolve("policy-repo");
        assertThat(repo.resolve(".git")).isDirectory();
        assertThat(repo.resolve("dive/authz.rego")).exists();
        String head = new PolicyRepository(repo).head();

        var plan = ComposeLoader.load(r.composeFile(), new HashMap<>(env));
        assertThat(plan.project()).isEqualTo("dive-hub");
        assertThat(plan.services()).containsKeys("opal-server-usa", "backend-usa", "kas-usa", "keycloak-usa").doesNotContainKey("frontend-usa");
        assertThat(plan.service("opal-server-usa").networks().get("dive-shared")).contains("opal-server");
        assertThat(plan.service("backend-usa").environment()).containsEntry("DIVE_MODE", "hub");

        // a second init changes nothing, not even the policy repository's history
        var again = new InstanceInit(Path.of("templates").toAbsolutePath(), instances).init("hub", "USA", "Coalition Hub", "kit");
        assertThat(again.written()).isEmpty();
        assertThat(new PolicyRepository(repo).head()).isEqualTo(head);
    }

    @Test
    void publishingAPolicyIsACommit() throws IOException {
        PolicyRepository repo = new PolicyRepository(instances.resolve("repo"));
        Files.createDirectories(instances.resolve("p/dive"));
        Files.writeString(instances.resolve("p/dive/a.rego"), "package dive.a\n");
        assertThat(repo.sync(instances.resolve("p"), "first")).isTrue();
        String first = repo.head();
        assertThat(repo.sync(instances.resolve("p"), "again")).isFalse();
        repo.publish("dive/version.rego", "package dive.version\nversion := \"2\"\n", "v2");
        assertThat(repo.head()).isNotEqualTo(first);
    }
}
