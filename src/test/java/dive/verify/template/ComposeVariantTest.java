package dive.verify.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComposeVariantTest {
    @TempDir Path dir;

    private Path compose() throws IOException {
        Path f = dir.resolve("docker-compose.yml");
        Files.writeString(f, """
                services:
                  backend-fra:
                    image: b
                    environment:
                      DATABASE_URL: postgres://x
                      KEEP: "1"
                    labels:
                      dive.deploy.stage: "4"
                      other: x
                  kas-fra:
                    image: k
                    environment: ["DATABASE_URL=postgres://y", "DATABASE_URL_EXTRA=1", "KEEP=2"]
                    healthcheck:
                      test: ["CMD", "true"]
                """);
        return f;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(Path written, String key) throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(written));
        return (Map<String, Object>) ((Map<String, Object>) doc.get("services")).get(key);
    }

    @Test
    void eachChangeAppliesToTheNamedServiceOnlyAndIsWrittenBesideTheOriginal() throws IOException {
        Path original = compose();
        Path out = ComposeVariant.of(original)
                .removeEnvironment("backend-fra", "DATABASE_URL")
                .removeEnvironment("kas-fra", "DATABASE_URL")
                .removeLabel("backend-fra", "dive.deploy.stage")
                .remove("kas-fra", "healthcheck")
                .set("kas-fra", "ports", List.of("127.0.0.1::8080"))
                .writeBeside(original, "no db_url!");
        assertThat(out).isEqualTo(dir.resolve("docker-compose.variant-no-db-url-.yml"));
        String text = Files.readString(out);
        assertThat(text).startsWith("# variant \"no db_url!\" of docker-compose.yml (negative scenario)\n");
        // block style, one line per entry
        assertThat(text).contains("\n    image: b\n").doesNotContain("{");

        Map<String, Object> backend = service(out, "backend-fra");
        assertThat(backend.get("environment")).isEqualTo(Map.of("KEEP", "1"));
        assertThat(backend.get("labels")).isEqualTo(Map.of("other", "x"));
        Map<String, Object> kas = service(out, "kas-fra");
        assertThat(kas.get("environment")).isEqualTo(List.of("DATABASE_URL_EXTRA=1", "KEEP=2"));
        assertThat(kas).doesNotContainKey("healthcheck").containsEntry("ports", List.of("127.0.0.1::8080"));
        // the original is untouched
        assertThat(service(original, "kas-fra")).containsKey("healthcheck");
    }

    @Test
    void setLabelAddsToTheLabelsOrCreatesThem() throws IOException {
        Path original = compose();
        Path out = ComposeVariant.of(original)
                .setLabel("backend-fra", "dive.deploy.start-budget", "25")
                .setLabel("kas-fra", "dive.deploy.start-budget", "35")
                .writeBeside(original, "budgets");
        assertThat(service(out, "backend-fra").get("labels")).isEqualTo(Map.of("other", "x", "dive.deploy.stage", "4", "dive.deploy.start-budget", "25"));
        assertThat(((Map<?, ?>) service(out, "kas-fra").get("labels")).get("dive.deploy.start-budget")).isEqualTo("35");
    }

    @Test
    void longValuesStayOnOneLine() throws IOException {
        Path original = compose();
        String longValue = "x".repeat(200) + " " + "y".repeat(200);
        Path out = ComposeVariant.of(original).set("kas-fra", "command", longValue).writeBeside(original, "long");
        assertThat(Files.readAllLines(out)).anySatisfy(l -> assertThat(l).contains(longValue));
    }

    @Test
    void changeHandsTheServiceToTheConsumer() throws IOException {
        ComposeVariant v = ComposeVariant.of(compose());
        assertThat(v.change("kas-fra", s -> s.put("image", "k2"))).isSameAs(v);
        assertThat(v.service("kas-fra")).containsEntry("image", "k2");
    }

    @Test
    void anUnknownServiceIsNamedWithTheKnownOnes() throws IOException {
        ComposeVariant v = ComposeVariant.of(compose());
        assertThatThrownBy(() -> v.remove("opa-fra", "image"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no service opa-fra in the template; services are [backend-fra, kas-fra]");
    }

    @Test
    void aMissingFileIsAnUncheckedIoError() {
        assertThatThrownBy(() -> ComposeVariant.of(dir.resolve("nope.yml"))).isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStageOrderBecomesDependsOnWhereAServiceDeclaresNone() throws IOException {
        Path f = dir.resolve("staged.yml");
        Files.writeString(f, """
                services:
                  postgres: {image: p, healthcheck: {test: ["CMD", "true"]}, labels: {dive.deploy.stage: "1"}}
                  redis: {image: r, labels: {dive.deploy.stage: "1"}}
                  keycloak: {image: k, depends_on: {postgres: {condition: service_healthy}}, labels: {dive.deploy.stage: "3"}}
                  kas: {image: x, labels: {dive.deploy.stage: "4"}}
                  mongodb-init: {image: m}
                """);
        Path out = ComposeVariant.of(f).withStageOrder().writeAs(dir.resolve("ordered.yml"), "ordered");
        Map<String, Object> services = (Map<String, Object>) ((Map<String, Object>) new Yaml().load(Files.readString(out))).get("services");
        assertThat(((Map<String, Object>) services.get("kas")).get("depends_on")).isEqualTo(Map.of(
                "postgres", Map.of("condition", "service_healthy"), "redis", Map.of("condition", "service_started"),
                "keycloak", Map.of("condition", "service_started")));
        // what a service declares stays as it is; the first stage and unstaged services get nothing
        assertThat(((Map<String, Object>) services.get("keycloak")).get("depends_on")).isEqualTo(Map.of("postgres", Map.of("condition", "service_healthy")));
        assertThat((Map<String, Object>) services.get("postgres")).doesNotContainKey("depends_on");
        assertThat((Map<String, Object>) services.get("mongodb-init")).doesNotContainKey("depends_on");
    }

    @Test
    @SuppressWarnings("unchecked")
    void forDockerComposeMakesEachPostStartHookAnInitServicePointedAtItsService() throws IOException {
        Path f = dir.resolve("spoke.yml");
        Files.writeString(f, """
                name: dive-spoke-fra
                networks:
                  shared: {name: dive-shared}
                services:
                  mongodb-fra:
                    image: m
                    environment: {MONGO_INITDB_ROOT_PASSWORD: p}
                    networks: {shared: {aliases: [mongodb]}}
                    post_start:
                      - command: ["sh", "-c", "if command -v dive-mongo-rs >/dev/null 2>&1; then dive-mongo-rs initiate mongodb-fra:27017; else mongosh admin --eval 'rs.initiate()'; fi"]
                  redis-fra:
                    image: r
                """);
        ComposeVariant v = ComposeVariant.of(f).forDockerCompose();
        assertThat(v.projectName()).as("the project is given with -p").isNull();
        assertThat(v.initServices()).containsExactly("mongodb-fra-init");
        Path out = v.writeBeside(f, "compose");
        Map<String, Object> doc = new Yaml().load(Files.readString(out));
        assertThat((Map<String, Object>) ((Map<String, Object>) doc.get("networks")).get("shared")).containsEntry("external", true);
        assertThat(service(out, "mongodb-fra")).doesNotContainKey("post_start");
        Map<String, Object> init = service(out, "mongodb-fra-init");
        assertThat(init).containsEntry("image", "m").containsEntry("restart", "no")
                .containsEntry("depends_on", Map.of("mongodb-fra", Map.of("condition", "service_started")))
                .containsEntry("environment", Map.of("MONGO_INITDB_ROOT_PASSWORD", "p"))
                .containsEntry("networks", List.of("shared"));
        String script = ((List<String>) init.get("entrypoint")).get(2);
        // either client asks the service by name (an init container has no mongod of its own), and is retried
        assertThat(script).contains("dive-mongo-rs --host mongodb-fra initiate mongodb-fra:27017")
                .contains("mongosh --host mongodb-fra admin")
                .contains("command -v dive-mongo-rs >/dev/null")
                .startsWith("for i in $$(seq 1 60); do ");
    }
}
