package dive.verify.template;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Issue 12, item 3: every key of the Compose Specification is honoured in the plan or refused by name, with its line.
 */
class ComposeHonourOrRefuseTest {
    @TempDir Path dir;

    private static final String STAGE = "    labels: {dive.deploy.stage: \"1\"}\n";

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("docker-compose.yml");
        Files.writeString(f, yaml);
        return f;
    }

    private DeploymentPlan load(String yaml) throws IOException {
        return load(yaml, Map.of(), ComposeLoader.Options.defaults().withHostEnvironment(name -> null));
    }

    private DeploymentPlan load(String yaml, Map<String, String> env, ComposeLoader.Options options) throws IOException {
        return ComposeLoader.load(write(yaml), env, options);
    }

    /** The problems of a file that must not load, each as "LINE: message" (the file's name taken off). */
    private List<String> problems(String yaml) throws IOException {
        return problems(yaml, ComposeLoader.Options.defaults().withHostEnvironment(name -> null));
    }

    private List<String> problems(String yaml, ComposeLoader.Options options) throws IOException {
        Path f = write(yaml);
        try {
            ComposeLoader.load(f, Map.of(), options);
        } catch (TemplateProblems e) {
            return e.lines().stream().map(l -> l.substring(f.toString().length() + 1)).toList();
        }
        throw new AssertionError("loaded, but should have been refused:\n" + yaml);
    }

    // ------------------------------------------------------------ honoured

    @Test
    void hostSettingsAreParsedIntoThePlan() throws IOException {
        DeploymentPlan p = load("""
                services:
                  a:
                    image: i
                    extra_hosts: ["hub.local:10.0.0.1", "v6=::1", "br=[fe80::1]"]
                    init: true
                    cap_add: [NET_ADMIN, cap_sys_ptrace]
                    cap_drop: [ALL]
                    mem_limit: 512m
                    cpus: 0.5
                    labels: {dive.deploy.stage: "1"}
                  b:
                    image: j
                    extra_hosts:
                      db.local: 10.0.0.2
                      multi: [10.0.0.3, 10.0.0.4]
                    deploy:
                      resources:
                        limits: {cpus: "2", memory: 1.5g}
                    labels: {dive.deploy.stage: "1"}
                  c:
                    image: k
                    init: false
                    labels: {dive.deploy.stage: "1"}
                """);
        HostSettings a = p.service("a").host();
        assertThat(a.extraHosts()).containsExactly("hub.local:10.0.0.1", "v6:::1", "br:fe80::1");
        assertThat(a.init()).isTrue();
        assertThat(a.capAdd()).containsExactly("NET_ADMIN", "SYS_PTRACE");
        assertThat(a.capDrop()).containsExactly("ALL");
        assertThat(a.memoryBytes()).isEqualTo(512L * 1024 * 1024);
        assertThat(a.nanoCpus()).isEqualTo(500_000_000L);
        HostSettings b = p.service("b").host();
        assertThat(b.extraHosts()).containsExactly("db.local:10.0.0.2", "multi:10.0.0.3", "multi:10.0.0.4");
        assertThat(b.memoryBytes()).isEqualTo(3L * 512 * 1024 * 1024);
        assertThat(b.nanoCpus()).isEqualTo(2_000_000_000L);
        assertThat(b.init()).isNull(); // not given: the engine's default
        assertThat(p.service("c").host().init()).isFalse();
        assertThat(p.service("c").host().isDefault()).isFalse();
    }

    @Test
    void memLimitAndDeployLimitsMayBothBeGivenWhenTheyAgree() throws IOException {
        DeploymentPlan p = load("services:\n  a:\n    image: i\n    mem_limit: 1g\n    cpus: 1\n"
                + "    deploy: {resources: {limits: {memory: 1024m, cpus: 1.0}}}\n" + STAGE);
        assertThat(p.service("a").host().memoryBytes()).isEqualTo(1L << 30);
        assertThat(p.service("a").host().nanoCpus()).isEqualTo(1_000_000_000L);
    }

    @Test
    void labelsOfNetworksAndVolumesAndExternalNamesAreInThePlan() throws IOException {
        DeploymentPlan p = load("""
                name: proj
                networks:
                  internal:
                    labels: {team: dive}
                    internal: true
                  shared:
                    external: true
                  named:
                    name: dive-shared
                    external: true
                volumes:
                  data:
                    labels: [backup=nightly]
                    driver: local
                  keys:
                    external: true
                  certs:
                    name: dive-certs
                    external: true
                services:
                  a:
                    image: i
                    networks: [internal, shared, named]
                    volumes: ["data:/data", "keys:/keys", "certs:/certs"]
                    labels: {dive.deploy.stage: "1"}
                """);
        assertThat(p.networks().get("internal").labels()).containsExactly(Map.entry("team", "dive"));
        assertThat(p.networks().get("internal").internal()).as("internal: true").isTrue();
        assertThat(p.networks().get("shared").internal()).as("not internal").isFalse();
        assertThat(p.volumes().get("data").labels()).containsExactly(Map.entry("backup", "nightly"));
        // compose's names: its own name; else the key when external; else PROJECT_KEY
        assertThat(p.networks().get("internal").engineName("proj")).isEqualTo("proj_internal");
        assertThat(p.networks().get("shared").engineName("proj")).isEqualTo("shared");
        assertThat(p.networks().get("named").engineName("proj")).isEqualTo("dive-shared");
        assertThat(p.volumes().get("data").engineName("proj")).isEqualTo("proj_data");
        assertThat(p.volumes().get("keys").engineName("proj")).isEqualTo("keys");
        assertThat(p.volumes().get("certs").engineName("proj")).isEqualTo("dive-certs");
    }

    @Test
    void anEnvironmentEntryWithoutAValueTakesTheHostsValueElseTheEnvFilesElseIsLeftOut() throws IOException {
        String yaml = "services:\n  a:\n    image: i\n    environment: [FROM_HOST, FROM_ENV, NOWHERE, EMPTY=, GIVEN=1]\n"
                + "  b:\n    image: i\n    environment:\n      FROM_HOST:\n      NOWHERE: ~\n      EMPTY: \"\"\n" + STAGE;
        Map<String, String> host = Map.of("FROM_HOST", "host", "FROM_ENV", "host");
        DeploymentPlan p = load(yaml, Map.of("FROM_ENV", "env"), ComposeLoader.Options.defaults().withHostEnvironment(host::get));
        // the host's value wins over the .env's, as in compose
        assertThat(p.service("a").environment()).containsExactly(Map.entry("FROM_HOST", "host"),
                Map.entry("FROM_ENV", "host"), Map.entry("EMPTY", ""), Map.entry("GIVEN", "1"));
        assertThat(p.service("b").environment()).containsExactly(Map.entry("FROM_HOST", "host"), Map.entry("EMPTY", ""));
        DeploymentPlan noHost = load(yaml, Map.of("FROM_ENV", "env"), ComposeLoader.Options.defaults().withHostEnvironment(name -> null));
        assertThat(noHost.service("a").environment()).containsExactly(Map.entry("FROM_ENV", "env"), Map.entry("EMPTY", ""),
                Map.entry("GIVEN", "1"));
    }

    @Test
    void aServiceWithProfilesIsDeployedOnlyWhenOneOfThemIsActive() throws IOException {
        String yaml = "services:\n  a:\n    image: i\n" + STAGE
                + "  debug:\n    image: d\n    profiles: [debug, tools]\n" + STAGE
                + "  mail:\n    image: m\n    profiles: [mail]\n" + STAGE;
        DeploymentPlan none = load(yaml);
        assertThat(none.services()).containsOnlyKeys("a");
        assertThat(none.inactive()).containsExactly(Map.entry("debug", List.of("debug", "tools")), Map.entry("mail", List.of("mail")));
        DeploymentPlan tools = load(yaml, Map.of(), ComposeLoader.Options.defaults().withProfiles(List.of("tools")));
        assertThat(tools.services()).containsOnlyKeys("a", "debug");
        assertThat(tools.service("debug").profiles()).containsExactly("debug", "tools");
        assertThat(load(yaml, Map.of(), ComposeLoader.Options.defaults().withProfiles(List.of("*"))).services())
                .containsOnlyKeys("a", "debug", "mail");
    }

    @Test
    void whenEveryServiceIsInAnInactiveProfileTheFileIsRefused() throws IOException {
        assertThat(problems("services:\n  debug:\n    image: d\n    profiles: [debug]\n" + STAGE))
                .containsExactly("1: every service has profiles, none of them active, so nothing would be deployed: {debug=[debug]}; "
                        + "active profiles: none; activate one (--compose-profile NAME)");
    }

    @Test
    void aDependencyThatMustCompleteRunsOnce() throws IOException {
        DeploymentPlan p = load("services:\n  migrate:\n    image: m\n" + STAGE
                + "  app:\n    image: a\n    depends_on:\n      migrate:\n        condition: service_completed_successfully\n"
                + "        required: true\n        restart: false\n" + STAGE);
        assertThat(p.service("migrate").oneShot()).isTrue();
        assertThat(p.service("app").dependsOn()).containsExactly(Map.entry("migrate", "service_completed_successfully"));
        assertThat(p.service("app").oneShot()).isFalse();
    }

    @Test
    void aDependencyThatMustBeHealthyWithoutAHealthcheckInTheFileGoesByItsImages() throws IOException {
        DeploymentPlan p = load("services:\n  b:\n    image: i\n" + STAGE + "  h:\n    image: i\n    healthcheck: {test: x}\n" + STAGE
                + "  a:\n    image: i\n    depends_on:\n      b:\n        condition: service_healthy\n"
                + "      h:\n        condition: service_healthy\n" + STAGE);
        assertThat(p.healthyByImage()).containsExactly("b");
    }

    @Test
    void extensionsAreAcceptedWhereComposeAcceptsThem() throws IOException {
        DeploymentPlan p = load("x-common: &c {a: 1}\nnetworks:\n  n:\n    x-note: hi\nservices:\n  a:\n    image: i\n"
                + "    x-owner: ops\n    networks: [n]\n" + STAGE);
        assertThat(p.service("a").networks()).containsOnlyKeys("n");
    }

    @Test
    void theTemplatesServicesUseNoneOfTheNewKeys() {
        // the host settings of a service that does not use them: nothing passed to the engine, as before
        assertThat(HostSettings.NONE.isDefault()).isTrue();
        assertThat(HostSettings.NONE.extraHosts()).isEmpty();
    }

    // ------------------------------------------------------------ refused, by name and line

    static Stream<Arguments> refusedParts() {
        return Stream.of(
                arguments("build", "services:\n  a:\n    build: .\n" + STAGE,
                        List.of("3: service a: build is not supported: build the image first and use image:")),
                arguments("deploy.replicas", "services:\n  a:\n    image: i\n    deploy:\n      replicas: 2\n" + STAGE,
                        List.of("5: service a: unsupported key \"deploy.replicas\"; supported under deploy: resources.limits.cpus, "
                                + "resources.limits.memory")),
                arguments("deploy.resources.reservations", "services:\n  a:\n    image: i\n    deploy:\n      resources:\n"
                                + "        reservations: {cpus: 1}\n" + STAGE,
                        List.of("6: service a: unsupported key \"deploy.resources.reservations\"; supported under deploy: "
                                + "resources.limits.cpus, resources.limits.memory")),
                arguments("deploy.resources.limits.pids", "services:\n  a:\n    image: i\n    deploy:\n      resources:\n"
                                + "        limits:\n          pids: 10\n" + STAGE,
                        List.of("7: service a: unsupported key \"deploy.resources.limits.pids\"; supported under deploy: "
                                + "resources.limits.cpus, resources.limits.memory")),
                arguments("mem_limit differs from deploy", "services:\n  a:\n    image: i\n    mem_limit: 1g\n"
                                + "    deploy: {resources: {limits: {memory: 2g}}}\n" + STAGE,
                        List.of("4: service a: mem_limit and deploy.resources.limits.memory (line 5) differ; give one of them")),
                arguments("bad sizes and numbers", "services:\n  a:\n    image: i\n    mem_limit: lots\n    cpus: -1\n" + STAGE,
                        List.of("4: service a, mem_limit: \"lots\" is not a size such as 512m, 1g or 1073741824 (bytes)",
                                "5: service a, cpus: \"-1\" is not a number of CPUs such as 0.5 or 2")),
                arguments("bad capability", "services:\n  a:\n    image: i\n    cap_add: [NET_ADMIN, FLY]\n" + STAGE,
                        List.of("4: service a, cap_add: \"FLY\" is not a Linux capability (such as NET_ADMIN, SYS_PTRACE, CAP_CHOWN) or ALL")),
                arguments("bad extra host", "services:\n  a:\n    image: i\n    extra_hosts: [nohost]\n" + STAGE,
                        List.of("4: service a, extra_hosts: \"nohost\" is not of the form HOST:IP or HOST=IP")),
                arguments("init not a boolean", "services:\n  a:\n    image: i\n    init: yes\n" + STAGE,
                        List.of("4: service a, init: \"yes\" is not true or false")),
                arguments("bad profile name", "services:\n  a:\n    image: i\n    profiles: [\"-x\"]\n" + STAGE,
                        List.of("4: service a: profile \"-x\" is not a profile name (letters, digits, _ . -, at least two characters)")),
                arguments("healthcheck.start_interval", "services:\n  a:\n    image: i\n    healthcheck:\n      test: x\n"
                                + "      start_interval: 1s\n" + STAGE,
                        List.of("6: service a: unsupported healthcheck key \"start_interval\"; supported: " + ComposeLoader.HEALTHCHECK_KEYS)),
                arguments("per-network ipv4_address", "networks:\n  n: {}\nservices:\n  a:\n    image: i\n    networks:\n      n:\n"
                                + "        ipv4_address: 10.0.0.9\n" + STAGE,
                        List.of("8: service a: unsupported network key \"ipv4_address\"; supported: aliases")),
                arguments("internal on a volume", "volumes:\n  v:\n    internal: true\nservices:\n  a:\n    image: i\n" + STAGE,
                        List.of("3: volume v: " + ComposeKeys.refusal(ComposeKeys.volume(), "internal") + "; supported: " + ComposeLoader.VOLUME_KEYS)),
                arguments("unknown network key", "networks:\n  n:\n    colour: blue\nservices:\n  a:\n    image: i\n" + STAGE,
                        List.of("3: network n: " + ComposeKeys.refusal(ComposeKeys.network(), "colour") + "; supported: " + ComposeLoader.NETWORK_KEYS)),
                arguments("network driver overlay", "networks:\n  n:\n    driver: overlay\nservices:\n  a:\n    image: i\n" + STAGE,
                        List.of("3: network n: only the bridge driver is supported, not \"overlay\"")),
                arguments("volume driver nfs", "volumes:\n  v:\n    driver: nfs\nservices:\n  a:\n    image: i\n" + STAGE,
                        List.of("3: volume v: only the local driver is supported, not \"nfs\"")),
                arguments("external network with labels", "networks:\n  n:\n    external: true\n    labels: {a: b}\nservices:\n"
                                + "  a:\n    image: i\n" + STAGE,
                        List.of("4: network n is external (made elsewhere, looked up by its name), so \"labels\" cannot be honoured; "
                                + "only name: may go with external: true")),
                arguments("external volume with a driver", "volumes:\n  v:\n    external: true\n    driver: local\nservices:\n"
                                + "  a:\n    image: i\n" + STAGE,
                        List.of("4: volume v is external (made elsewhere, looked up by its name), so \"driver\" cannot be honoured; "
                                + "only name: may go with external: true")),
                arguments("depends_on required: false", "services:\n  b:\n    image: i\n" + STAGE + "  a:\n    image: i\n    depends_on:\n"
                                + "      b:\n        required: false\n" + STAGE,
                        List.of("9: service a: depends_on b has required: false, which is not supported: every dependency is required "
                                + "(remove the key, or the dependency)")),
                arguments("depends_on restart: true", "services:\n  b:\n    image: i\n" + STAGE + "  a:\n    image: i\n    depends_on:\n"
                                + "      b:\n        restart: true\n" + STAGE,
                        List.of("9: service a: depends_on b has restart: true, which is not supported: a service is never restarted "
                                + "because its dependency was (remove the key)")),
                arguments("service_healthy on a service that must complete", "services:\n  b:\n    image: i\n"
                                + "    healthcheck: {test: x}\n" + STAGE
                                + "  a:\n    image: i\n    depends_on:\n      b:\n        condition: service_completed_successfully\n" + STAGE
                                + "  c:\n    image: i\n    depends_on:\n      b:\n        condition: service_healthy\n" + STAGE,
                        List.of("15: service c: depends_on b with condition service_healthy, but b runs once (service a waits for it "
                                + "to complete successfully) and is never healthy; use condition service_completed_successfully")),
                arguments("dependency of a later stage", "services:\n  a:\n    image: i\n    depends_on: [b]\n" + STAGE
                                + "  b:\n    image: i\n    labels: {dive.deploy.stage: \"2\"}\n",
                        List.of("4: service a (stage 1) depends on b of the later stage 2; a dependency must be in the same or an "
                                + "earlier stage")),
                arguments("dependency cycle", "services:\n  a:\n    image: i\n    depends_on: [b]\n" + STAGE
                                + "  b:\n    image: i\n    depends_on: [c]\n" + STAGE + "  c:\n    image: i\n    depends_on: [a]\n" + STAGE,
                        List.of("4: service a: depends_on forms a cycle a → b → c → a, so none of them could start; remove one of the "
                                + "dependencies")),
                arguments("dependency on an inactive profile", "services:\n  a:\n    image: i\n    depends_on: [dbg]\n" + STAGE
                                + "  dbg:\n    image: d\n    profiles: [debug]\n" + STAGE,
                        List.of("4: service a: depends_on dbg, which is deployed only with profile debug, none of them active "
                                + "(active: none); activate one (--compose-profile NAME) or remove the dependency")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedParts")
    void aKeyOrValueThatCannotBeHonouredIsRefusedByNameWithItsLine(String what, String yaml, List<String> expected) throws IOException {
        assertThat(problems(yaml)).containsExactlyElementsOf(expected);
    }

    /** Every refused key of the specification, in a service, a network, a volume and at the top level: refused by name. */
    @Test
    void everyRefusedKeyIsRefusedByNameWithItsLine() throws IOException {
        for (ComposeKeys.Key k : ComposeKeys.service().values()) {
            if (k.support() != ComposeKeys.Support.REFUSED) continue;
            List<String> p = problems("services:\n  a:\n    image: i\n" + STAGE + "    " + k.name() + ": x\n");
            String expected = k.name().equals("build") ? "5: service a: " + ComposeKeys.BUILD
                    : "5: service a: unsupported key \"" + k.name() + "\"" + (k.note().isEmpty() ? "" : ": " + k.note())
                    + "; supported keys are " + ComposeLoader.SERVICE_KEYS;
            assertThat(p).as(k.name()).containsExactly(expected);
        }
        for (ComposeKeys.Key k : ComposeKeys.network().values()) {
            if (k.support() != ComposeKeys.Support.REFUSED) continue;
            assertThat(problems("networks:\n  n:\n    " + k.name() + ": x\nservices:\n  a:\n    image: i\n" + STAGE)).as(k.name())
                    .containsExactly("3: network n: unsupported key \"" + k.name() + "\"; supported: " + ComposeLoader.NETWORK_KEYS);
        }
        for (ComposeKeys.Key k : ComposeKeys.volume().values()) {
            if (k.support() != ComposeKeys.Support.REFUSED) continue;
            assertThat(problems("volumes:\n  v:\n    " + k.name() + ": x\nservices:\n  a:\n    image: i\n" + STAGE)).as(k.name())
                    .containsExactly("3: volume v: unsupported key \"" + k.name() + "\"; supported: " + ComposeLoader.VOLUME_KEYS);
        }
        for (ComposeKeys.Key k : ComposeKeys.topLevel().values()) {
            if (k.support() != ComposeKeys.Support.REFUSED) continue;
            assertThat(problems(k.name() + ": {}\nservices:\n  a:\n    image: i\n" + STAGE)).as(k.name())
                    .containsExactly("1: unsupported top-level key \"" + k.name() + "\"" + (k.note().isEmpty() ? "" : ": " + k.note())
                            + "; supported: " + ComposeLoader.TOP_LEVEL_KEYS + " and x-* extensions");
        }
    }

    /** The operator's files of feature 13: the flawed one still gets exactly its four problems, the fixed one loads. */
    @Test
    void theOperatorsFilesOfTheFeatureLoadAsItExpects() throws IOException {
        java.util.function.Function<String, String> render = t -> t.replace("{{INSTANCE_CODE_LOWER}}", "fra")
                .replace("{{INSTANCE_CODE_UPPER}}", "FRA").replace("{{IMAGE_POSTGRES}}", "pg:1").replace("{{IMAGE_REDIS}}", "redis:1");
        Path files = Path.of("src/test/resources/operator");
        Map<String, String> env = Map.of("POSTGRES_PASSWORD_FRA", "p", "REDIS_PASSWORD_FRA", "r");
        Path flawed = write(render.apply(Files.readString(files.resolve("spoke-data-services.flawed.yml"))));
        try {
            ComposeLoader.load(flawed, env);
            throw new AssertionError("the flawed file loaded");
        } catch (TemplateProblems e) {
            assertThat(e.problems()).extracting(TemplateException::line).containsExactly(9, 13, 20, 36);
            assertThat(e.problems().get(0).getMessage()).contains("restart \"sometimes\" is not a restart policy");
            assertThat(e.problems().get(1).getMessage()).contains("${}");
            assertThat(e.problems().get(2).getMessage()).contains("unsupported key \"mem_swapiness\"");
            assertThat(e.problems().get(3).getMessage()).contains("unsupported key \"restart_policy\"");
        }
        DeploymentPlan fixed = ComposeLoader.load(write(render.apply(Files.readString(files.resolve("spoke-data-services.fixed.yml")))), env);
        assertThat(fixed.services()).containsOnlyKeys("postgres-fra", "redis-fra");
    }

    @Test
    void theSupportedKeysAreExactlyTheHonouredOnes() {
        assertThat(ComposeLoader.SERVICE_KEYS).containsExactly("cap_add", "cap_drop", "command", "container_name", "cpus", "depends_on",
                "deploy", "entrypoint", "env_file", "environment", "expose", "extra_hosts", "healthcheck", "image", "init", "labels",
                "mem_limit", "networks", "ports", "post_start", "profiles", "restart", "tmpfs", "user", "volumes", "working_dir");
        assertThat(ComposeLoader.NETWORK_KEYS).isEqualTo(Set.of("driver", "external", "internal", "labels", "name"));
        assertThat(ComposeLoader.VOLUME_KEYS).isEqualTo(Set.of("driver", "external", "labels", "name"));
    }
}
