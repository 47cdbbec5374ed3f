package dive.verify.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComposeLoaderTest {
    @TempDir Path dir;

    private DeploymentPlan load(String yaml, Map<String, String> env) throws IOException {
        Path f = dir.resolve("docker-compose.yml");
        Files.writeString(f, yaml);
        // no host environment: what a value-less environment entry resolves to must not depend on the machine
        return ComposeLoader.load(f, env, ComposeLoader.Options.defaults().withHostEnvironment(name -> null));
    }

    @Test
    void loadsTheSupportedSubset() throws IOException {
        Files.writeString(dir.resolve("redis.conf"), "save 60 1\n");
        Files.writeString(dir.resolve("extra.env"), "FROM_FILE=1\nOVERRIDDEN=file\n");
        DeploymentPlan p = load("""
                name: dive-spoke-fra
                networks:
                  internal:
                    name: dive-spoke-fra-internal
                  dive-shared:
                    name: dive-shared
                volumes:
                  data:
                services:
                  redis-fra:
                    image: dive-kit/redis:1
                    container_name: dive-spoke-fra-redis
                    command: sh -c 'exec redis-server "$$CONF"'
                    environment:
                      PASSWORD: ${REDIS_PASSWORD_FRA:?missing}
                      OVERRIDDEN: env
                    env_file: extra.env
                    ports: ["127.0.0.1:16379:6379", "6380"]
                    expose: ["7000"]
                    volumes:
                      - ./redis.conf:/usr/local/etc/redis/redis.conf:ro
                      - data:/data
                    networks:
                      internal:
                        aliases: [redis]
                      dive-shared: {}
                    healthcheck:
                      test: ["CMD-SHELL", "redis-cli ping"]
                      interval: 2s
                      timeout: 1m30s
                      retries: 5
                      start_period: 500ms
                    labels:
                      dive.deploy.stage: "1"
                    restart: unless-stopped
                    user: redis
                    working_dir: /data
                    tmpfs: /tmp
                  backend-fra:
                    image: b
                    environment: ["A=1", "B"]
                    depends_on:
                      redis-fra:
                        condition: service_healthy
                    labels:
                      dive.deploy.stage: "4"
                      dive.deploy.start-budget: "45"
                  kas-fra:
                    image: k
                    depends_on: [redis-fra]
                """, Map.of("REDIS_PASSWORD_FRA", "s3cret"));

        assertThat(p.project()).isEqualTo("dive-spoke-fra");
        ServiceSpec r = p.service("redis-fra");
        assertThat(r.command()).containsExactly("sh", "-c", "exec redis-server \"$CONF\"");
        assertThat(r.environment()).containsEntry("PASSWORD", "s3cret").containsEntry("FROM_FILE", "1").containsEntry("OVERRIDDEN", "env");
        assertThat(r.ports()).containsExactly(new PortMapping("127.0.0.1", 16379, 6379, "tcp"), new PortMapping(null, 0, 6380, "tcp"));
        assertThat(r.volumes().get(0).readOnly()).isTrue();
        assertThat(r.volumes().get(1)).isEqualTo(new VolumeMount(true, "data", "/data", false));
        assertThat(r.networks()).containsEntry("internal", List.of("redis")).containsEntry("dive-shared", List.of());
        assertThat(r.healthcheck().timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(r.healthcheck().startPeriod()).isEqualTo(Duration.ofMillis(500));
        assertThat(r.stage()).isEqualTo(1);
        assertThat(r.startBudget()).isEqualTo(Duration.ofSeconds(30)); // contract budget for redis
        assertThat(r.kind()).isEqualTo("redis");
        ServiceSpec b = p.service("backend-fra");
        assertThat(b.environment()).containsEntry("A", "1").doesNotContainKey("B"); // B is set neither on the host nor in .env
        assertThat(b.dependsOn()).containsEntry("redis-fra", "service_healthy");
        assertThat(b.startBudget()).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.stages()).containsExactly(1, 4);
        assertThat(p.unstaged()).extracting(ServiceSpec::key).containsExactly("kas-fra");
    }

    @Test
    void refusesAnUnknownServiceKeyNamingServiceAndKey() {
        assertThatThrownBy(() -> load("services:\n  kas-fra:\n    image: k\n    deploy:\n      replicas: 2\n", Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("docker-compose.yml:5: service kas-fra: unsupported key \"deploy.replicas\"; supported under deploy: "
                        + "resources.limits.cpus, resources.limits.memory");
        assertThatThrownBy(() -> load("services:\n  kas-fra:\n    image: k\n    imgae: k\n", Map.of()))
                .hasMessageContaining("docker-compose.yml:4: service kas-fra: unsupported key \"imgae\" (not a key of the Compose Specification: misspelt?); "
                        + "supported keys are [cap_add, ");
    }

    @Test
    void refusesUnknownTopLevelAndHealthcheckKeys() {
        assertThatThrownBy(() -> load("configs: {}\nservices: {}\n", Map.of())).hasMessageContaining("unsupported top-level key \"configs\"");
        assertThatThrownBy(() -> load("services:\n  a:\n    image: i\n    healthcheck:\n      test: x\n      start_interval: 1s\n", Map.of()))
                .hasMessageContaining("unsupported healthcheck key \"start_interval\"");
    }

    @Test
    void malformedYamlNamesTheLine() {
        assertThatThrownBy(() -> load("services:\n  a:\n    image: [unclosed\n", Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageMatching("(?s).*docker-compose.yml:\\d+: malformed YAML.*");
    }

    @Test
    void requiredVariableUnsetNamesVariableAndLine() {
        assertThatThrownBy(() -> load("services:\n  a:\n    image: i\n    environment:\n      P: ${POSTGRES_PASSWORD_FRA:?run the secrets sync}\n"
                + "    labels: {dive.deploy.stage: \"1\"}\n", Map.of()))
                .hasMessage(dir.resolve("docker-compose.yml") + ":5: variable POSTGRES_PASSWORD_FRA: run the secrets sync");
    }

    @Test
    void refusesBadReferences() {
        assertThatThrownBy(() -> load("services:\n  a:\n    image: i\n    depends_on: [b]\n", Map.of()))
                .hasMessageContaining("depends_on names unknown service \"b\"");
        assertThatThrownBy(() -> load("services:\n  a:\n    image: i\n    networks: [nope]\n", Map.of()))
                .hasMessageContaining("network \"nope\" is not declared");
        assertThatThrownBy(() -> load("services:\n  a:\n    image: i\n    volumes: [\"./missing:/x\"]\n", Map.of()))
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> load("services:\n  a:\n    image: i\n    labels:\n      dive.deploy.stage: two\n", Map.of()))
                .hasMessageContaining("must be a stage number");
        assertThatThrownBy(() -> load("services:\n  a:\n    image: i\n    depends_on:\n      a:\n        condition: service_ready\n", Map.of()))
                .hasMessageContaining("condition \"service_ready\"");
    }

    @Test
    void reportsEveryProblemOfAFileAtOnceEachWithFileAndLine() {
        String yaml = """
                name: x
                configs: {}
                networks:
                  internal:
                    driver: overlay
                services:
                  a:
                    image: i
                    deploy: {replicas: 2}
                    ports: ["80:80", "eighty", "1-3:1-3"]
                    environment:
                      P: ${PW:?is not set}
                      Q: ${QW:?is not set either}
                    depends_on: [b]
                    networks: [internal, outer]
                    labels: {dive.deploy.stage: "1"}
                  c:
                    labels: {dive.deploy.stage: "two"}
                """;
        Path f = dir.resolve("docker-compose.yml");
        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOfSatisfying(TemplateProblems.class, e -> assertThat(e.lines()).containsExactly(
                        f + ":2: unsupported top-level key \"configs\": use a bind mount (volumes:) instead; supported: "
                                + ComposeLoader.TOP_LEVEL_KEYS + " and x-* extensions",
                        f + ":5: network internal: only the bridge driver is supported, not \"overlay\"",
                        f + ":9: service a: unsupported key \"deploy.replicas\"; supported under deploy: resources.limits.cpus, "
                                + "resources.limits.memory",
                        f + ":10: service a: port \"eighty\" is not of the form [HOST_IP:]HOST_PORT:CONTAINER_PORT or CONTAINER_PORT (ranges are not supported)",
                        f + ":10: service a: port \"1-3:1-3\" is not of the form [HOST_IP:]HOST_PORT:CONTAINER_PORT or CONTAINER_PORT (ranges are not supported)",
                        f + ":12: variable PW: is not set",
                        f + ":13: variable QW: is not set either",
                        f + ":14: service a: depends_on names unknown service \"b\"; services are [a, c]",
                        f + ":15: service a: network \"outer\" is not declared under top-level networks: [internal]",
                        f + ":18: service c: no image",
                        f + ":18: service c: label dive.deploy.stage must be a stage number 1, 2, 3 …, was \"two\""))
                .hasMessageStartingWith(f + ": 11 problems:\n  " + f + ":2: unsupported top-level key");
    }

    @Test
    void oneProblemKeepsItsOwnMessage() {
        assertThatThrownBy(() -> load("services:\n  a:\n    image: i\n    labels: {dive.deploy.stage: \"1\"}\n    tty: true\n", Map.of()))
                .isInstanceOf(TemplateProblems.class)
                .hasMessageStartingWith(dir.resolve("docker-compose.yml") + ":5: service a: unsupported key \"tty\"; supported keys are [");
    }

    @Test
    void aFileWhereNoServiceHasAStageIsRefusedNamingTheServicesUnlessOneStageIsAsked() throws IOException {
        String yaml = "services:\n  a:\n    image: i\n  b:\n    image: j\n    depends_on: [a]\n";
        assertThatThrownBy(() -> load(yaml, Map.of()))
                .isInstanceOf(TemplateProblems.class)
                .hasMessage(dir.resolve("docker-compose.yml") + ":1: no service has a deployment stage (label dive.deploy.stage), so none would "
                        + "be started: a, b; give each service a stage (dive.deploy.stage: \"1\", \"2\", ...), or deploy with --one-stage "
                        + "to start them all as one stage");
        DeploymentPlan p = ComposeLoader.load(dir.resolve("docker-compose.yml"), Map.of(), true);
        assertThat(p.stages()).containsExactly(1);
        assertThat(p.servicesOfStage(1)).extracting(ServiceSpec::key).containsExactly("a", "b");
        assertThat(p.unstaged()).isEmpty();
    }

    @Test
    void aServiceWithoutAStageInAStagedFileStillLoads() throws IOException {
        // as in the negative scenario "A template that places KAS in no stage": the checks name it as missing
        DeploymentPlan p = load("services:\n  a:\n    image: i\n    labels: [dive.deploy.stage=1]\n  kas-fra:\n    image: k\n", Map.of());
        assertThat(p.stages()).containsExactly(1);
        assertThat(p.unstaged()).extracting(ServiceSpec::key).containsExactly("kas-fra");
    }

    @Test
    void aKeyGivenTwiceIsAProblem() {
        assertThatThrownBy(() -> load("services:\n  a:\n    image: i\n    image: j\n    labels: {dive.deploy.stage: \"1\"}\n", Map.of()))
                .hasMessageContaining("docker-compose.yml:4")
                .hasMessageContaining("\"image\"");
    }

    @Test
    void aMissingFileIsOneProblem() {
        assertThatThrownBy(() -> ComposeLoader.load(dir.resolve("nope.yml"), Map.of()))
                .isInstanceOf(TemplateProblems.class)
                .hasMessage(dir.resolve("nope.yml") + ": cannot read compose file: no such file");
    }

    @Test
    void anUnterminatedQuoteInACommandIsAProblemNotACrash() {
        assertThatThrownBy(() -> load("services:\n  a:\n    image: i\n    command: sh -c 'x\n    labels: {dive.deploy.stage: \"1\"}\n", Map.of()))
                .isInstanceOf(TemplateProblems.class)
                .hasMessageContaining("docker-compose.yml:4: service a, command: unterminated quote");
    }
}
