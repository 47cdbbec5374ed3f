package dive.verify.instance;

import dive.verify.template.ComposeLoader;
import dive.verify.template.DeploymentPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Init against the real spoke template of this repository. */
class InstanceInitTest {
    static final Path TEMPLATES = Path.of("templates").toAbsolutePath();
    @TempDir Path instances;

    private InstanceInit init() { return new InstanceInit(TEMPLATES, instances); }

    @ParameterizedTest
    @ValueSource(strings = {"FR", "fra", "fra1", "FRA;rm", "../x", "", "FRAN", "FR A", "ÉTA"})
    void refusesBadCodesBeforeWritingAnything(String code) throws IOException {
        assertThatThrownBy(() -> init().init("spoke", code, "France Defence", "kit"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("instance code")
                .hasMessageContaining("three upper-case letters");
        try (Stream<Path> s = Files.list(instances)) {
            assertThat(s).as("nothing may be created for a bad code").isEmpty();
        }
    }

    @Test
    void refusesBadNamesKindsAndProfiles() {
        assertThatThrownBy(() -> init().init("spoke", "FRA", "", "kit")).hasMessageContaining("instance name");
        assertThatThrownBy(() -> init().init("spoke", "FRA", "x${Y}", "kit")).hasMessageContaining("instance name");
        assertThatThrownBy(() -> init().init("mesh", "FRA", "France", "kit")).hasMessageContaining("expected spoke or hub");
        assertThatThrownBy(() -> init().init("spoke", "FRA", "France", "nope")).hasMessageContaining("image profile \"nope\" not found");
        assertThat(instances.toFile().list()).isEmpty();
    }

    @Test
    void createsARenderedInstanceWithPrivateEnvAndLoadablePlan() throws IOException {
        InstanceInit.Result r = init().init("spoke", "FRA", "France Defence", "kit");
        assertThat(r.directory()).isEqualTo(instances.resolve("fra"));
        String compose = Files.readString(r.composeFile());
        assertThat(compose).doesNotContain("{{").contains("kas-fra:").contains("dive-spoke-fra-kas");
        assertThat(Files.getPosixFilePermissions(r.env().path())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(r.secrets().generated()).contains("POSTGRES_PASSWORD_FRA", "MONGO_PASSWORD_FRA", "OPAL_AUTH_MASTER_TOKEN", "DATABASE_URL");
        assertThat(Files.readString(r.directory().resolve("realm/dive-v3-broker.json"))).contains("SECRET DÉFENSE").doesNotContain("{{");

        Map<String, String> env = new HashMap<>(r.env().read());
        DeploymentPlan plan = ComposeLoader.load(r.composeFile(), env);
        assertThat(plan.services()).hasSize(9);
        assertThat(plan.stages()).containsExactly(1, 2, 3, 4);
        assertThat(plan.service("backend-fra").environment())
                .as("the backend must receive DATABASE_URL and OPAL_AUTH_MASTER_TOKEN, not just .env")
                .containsEntry("DATABASE_URL", env.get("DATABASE_URL"))
                .containsEntry("OPAL_AUTH_MASTER_TOKEN", env.get("OPAL_AUTH_MASTER_TOKEN"));
        assertThat(env.get("DATABASE_URL")).endsWith("@postgres-fra:5432/dive_v3").startsWith("postgresql://postgres:");
        assertThat(plan.service("postgres-fra").environment()).containsEntry("POSTGRES_DB", "dive_v3").containsEntry("POSTGRES_USER", "postgres");
        assertThat(plan.service("kas-fra").stage()).isEqualTo(4);
        assertThat(plan.unsetVariables()).isEmpty();
    }

    @Test
    void secondInitChangesNothingByteForByte() throws IOException {
        InstanceInit.Result first = init().init("spoke", "FRA", "France Defence", "kit");
        Map<Path, byte[]> before = snapshot(first.directory());
        InstanceInit.Result second = init().init("spoke", "FRA", "France Defence", "kit");
        assertThat(second.written()).isEmpty();
        assertThat(second.secrets().generated()).isEmpty();
        Map<Path, byte[]> after = snapshot(first.directory());
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((p, b) -> assertThat(after.get(p)).as(p.toString()).isEqualTo(b));
    }

    @Test
    void twoSpokesGetDistinctPortsNamesAndNetworks() throws IOException {
        var fra = init().init("spoke", "FRA", "France", "kit");
        var gbr = init().init("spoke", "GBR", "United Kingdom", "kit");
        assertThat(fra.ports().values()).doesNotContainAnyElementsOf(gbr.ports().values());
        DeploymentPlan a = ComposeLoader.load(fra.composeFile(), new HashMap<>(fra.env().read()));
        DeploymentPlan b = ComposeLoader.load(gbr.composeFile(), new HashMap<>(gbr.env().read()));
        assertThat(a.project()).isNotEqualTo(b.project());
        assertThat(a.services().values()).extracting(s -> s.containerName())
                .doesNotContainAnyElementsOf(b.services().values().stream().map(s -> s.containerName()).toList());
        assertThat(a.networks().get("internal").name()).isNotEqualTo(b.networks().get("internal").name());
        assertThat(a.networks().get("dive-shared").name()).isEqualTo("dive-shared");
    }

    private static Map<Path, byte[]> snapshot(Path dir) throws IOException {
        Map<Path, byte[]> out = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(p, Files.readAllBytes(p));
        }
        return out;
    }

    @Test
    void anInstanceKeepsTheKindItWasCreatedAsAndTheHubIsFoundByKind() throws IOException {
        var gbr = init().init("spoke", "GBR", "United Kingdom", "kit");
        Map<Path, byte[]> before = snapshot(gbr.directory());
        assertThatThrownBy(() -> init().init("hub", "GBR", "United Kingdom", "kit"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("instance GBR in " + gbr.directory() + " was created as a spoke; it cannot be initialised as a hub: "
                        + "use another code, or remove " + gbr.directory() + " to re-create it");
        Map<Path, byte[]> after = snapshot(gbr.directory());
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((p, b) -> assertThat(after.get(p)).as(p.toString()).isEqualTo(b));

        assertThat(InstanceInit.instancesOfKind(instances, "hub")).isEmpty();
        var can = init().init("hub", "CAN", "Coalition Hub", "kit");
        assertThat(InstanceInit.instancesOfKind(instances, "hub")).containsExactly(can.directory());
        assertThat(InstanceInit.instancesOfKind(instances, "spoke")).containsExactly(gbr.directory());
        assertThat(InstanceInit.recordedKind(can.directory())).isEqualTo("hub");
    }

    @Test
    void aHubOfAnyCodeGetsTheHubsSecretsAndALoadablePlan() {
        var can = init().init("hub", "CAN", "Coalition Hub", "kit");
        Map<String, String> env = can.env().read();
        assertThat(env).containsKeys("OPAL_AUTH_PRIVATE_KEY", "OPAL_AUTH_PUBLIC_KEY", "FEDERATION_ADMIN_TOKEN");
        assertThat(can.secrets().generated()).contains("OPAL_AUTH_PRIVATE_KEY", "FEDERATION_ADMIN_TOKEN");
        DeploymentPlan plan = ComposeLoader.load(can.composeFile(), new HashMap<>(env));
        assertThat(plan.services()).containsKey("opal-server-can");
        assertThat(init().init("hub", "CAN", "Coalition Hub", "kit").secrets().generated()).isEmpty();
    }

    @Test
    void checkWritesNothing() {
        var c = init().check("spoke", "FRA", "France", "kit");
        assertThat(c.directory()).isEqualTo(instances.resolve("fra"));
        assertThat(c.exists()).isFalse();
        assertThat(instances.toFile().list()).isEmpty();
    }
}
