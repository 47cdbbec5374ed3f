package dive.verify.cli;

import dive.verify.instance.InstanceInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bad input, refused before anything is created: one line per problem naming
 * the input and what was expected, exit code 2, no stack trace, nothing left
 * behind (no instance directory, no temporary directory). Every deploy case
 * runs twice, with and without --validate-only; without it, a case that got
 * past validation would fail the test instead of reaching the engine.
 */
class BadInputTableTest {
    static final Path TEMPLATES = Path.of("templates").toAbsolutePath();
    static final String SERVICE_KEYS = "[cap_add, cap_drop, command, container_name, cpus, depends_on, deploy, entrypoint, env_file, "
            + "environment, expose, extra_hosts, healthcheck, image, init, labels, mem_limit, networks, ports, post_start, profiles, "
            + "restart, tmpfs, user, volumes, working_dir]";
    static final String CODE = "is invalid: expected three upper-case letters (ISO 3166 alpha-3), e.g. FRA, GBR, USA";

    @TempDir Path root;
    Path instances, tmp, files;

    @BeforeEach
    void fixtures() throws IOException {
        instances = root.resolve("instances");
        tmp = Files.createDirectories(root.resolve("tmp"));
        files = Files.createDirectories(root.resolve("files"));
        Preflight.tempParent = tmp;
        Files.writeString(files.resolve("malformed.yml"), "services:\n  a:\n    image: [unclosed\n");
        Files.writeString(files.resolve("unknown-key.yml"), "services:\n  a:\n    image: i\n    labels: {dive.deploy.stage: \"1\"}\n    tty: true\n");
        Files.writeString(files.resolve("no-stage.yml"), "services:\n  a:\n    image: i\n  b:\n    image: j\n");
        Files.writeString(files.resolve("two-problems.yml"),
                "services:\n  a:\n    image: i\n    labels: {dive.deploy.stage: \"1\"}\n    ports: [\"eighty\"]\n    depends_on: [b]\n");
        Files.writeString(files.resolve("bad-value.properties"), "kind.keycloak=soon\n");
    }

    @AfterEach
    void reset() {
        Preflight.tempParent = null;
    }

    static Stream<Arguments> deployCases() {
        String compose = "--compose";
        return Stream.of(
                // codes
                arguments("code too short", List.of("spoke", "fr"), List.of("instance code \"fr\" " + CODE)),
                arguments("code too long", List.of("spoke", "FRAN"), List.of("instance code \"FRAN\" " + CODE)),
                arguments("code in lower case", List.of("spoke", "fra"), List.of("instance code \"fra\" " + CODE + "; did you mean FRA?")),
                arguments("code with a digit", List.of("spoke", "F1A"), List.of("instance code \"F1A\" " + CODE)),
                arguments("code empty", List.of("spoke", ""), List.of("instance code \"\" (empty) " + CODE)),
                // kinds
                arguments("kind unknown", List.of("satellite", "FRA"), List.of("deployment kind \"satellite\" is invalid: expected spoke or hub")),
                arguments("kind without code", List.of("hub"), List.of("expected KIND CODE (KIND hub or spoke, CODE e.g. FRA) or --instance-dir DIR, got only hub")),
                // templates and compose files
                arguments("compose file missing", List.of("hub", "USA", compose, "{files}/missing.yml"),
                        List.of("--compose {files}/missing.yml: no such file; expected a compose file")),
                arguments("compose file malformed", List.of("hub", "USA", compose, "{files}/malformed.yml"),
                        List.of("{files}/malformed.yml:4: malformed YAML: expected ',' or ']', but got <stream end>")),
                arguments("compose file with an unknown key", List.of("hub", "USA", compose, "{files}/unknown-key.yml"),
                        List.of("{files}/unknown-key.yml:5: service a: unsupported key \"tty\"; supported keys are " + SERVICE_KEYS)),
                arguments("compose file with no staged service", List.of("hub", "USA", compose, "{files}/no-stage.yml"),
                        List.of("{files}/no-stage.yml:1: no service has a deployment stage (label dive.deploy.stage), so none would be "
                                + "started: a, b; give each service a stage (dive.deploy.stage: \"1\", \"2\", ...), or deploy with "
                                + "--one-stage to start them all as one stage")),
                arguments("compose file with two problems", List.of("hub", "USA", compose, "{files}/two-problems.yml"),
                        List.of("{files}/two-problems.yml:5: service a: port \"eighty\" is not of the form [HOST_IP:]HOST_PORT:CONTAINER_PORT "
                                        + "or CONTAINER_PORT (ranges are not supported)",
                                "{files}/two-problems.yml:6: service a: depends_on names unknown service \"b\"; services are [a]")),
                // files
                arguments("timeouts file with a bad value", List.of("hub", "USA", "--timeouts", "{files}/bad-value.properties"),
                        List.of("{files}/bad-value.properties: kind.keycloak = \"soon\" is not a duration: expected e.g. 90s, 2m, 1m30s or 90 (seconds)")),
                arguments("timeouts file missing", List.of("hub", "USA", "--timeouts", "{files}/none.properties"),
                        List.of("--timeouts {files}/none.properties: no such file; expected a properties file such as "
                                + "service.keycloak-fra=240s, stage.4=150s")),
                arguments("instance directory missing", List.of("--instance-dir", "{instances}/fra"),
                        List.of("no instance in {instances}/fra (instance.properties missing): run init first")),
                // options
                arguments("exclusive options", List.of("spoke", "FRA", "--reuse", "--fresh"),
                        List.of("--reuse, --fresh are mutually exclusive (specify only one) (see --help)")),
                arguments("instance dir and kind", List.of("spoke", "FRA", "--instance-dir", "{instances}/fra"),
                        List.of("give either --instance-dir DIR or KIND CODE, not both (got --instance-dir {instances}/fra and spoke FRA)")),
                arguments("keep value", List.of("hub", "USA", "--keep", "sometimes"),
                        List.of("Invalid value for option '--keep': \"sometimes\" is invalid: expected always, on-failure or never (see --help)")),
                arguments("compose 1.29 file without --init-only", List.of("spoke", "FRA", "--for-compose-1.29"),
                        List.of("--for-compose-1.29 writes a converted compose file for an operator's own deployment: it goes with --init-only")),
                arguments("unknown option", List.of("hub", "USA", "--frsh"), List.of("Unknown option: '--frsh' (see --help)")),
                arguments("only names no service", List.of("hub", "USA", "--only", "postgres,frontend"),
                        List.of("--only frontend: the template has no service frontend-usa; its services are postgres-usa, mongodb-usa, "
                                + "redis-usa, opa-usa, opal-server-usa, keycloak-usa, backend-usa, kas-usa")),
                arguments("image profile unknown", List.of("hub", "USA", "--profile", "nope"),
                        List.of("image profile \"nope\" not found: expected " + TEMPLATES.resolve("images/nope.env"))),
                arguments("spoke without a hub", List.of("spoke", "FRA"),
                        List.of("spoke FRA needs the hub, but no instance in {instances} was created as a hub: deploy the hub first "
                                + "(./dive-verify deploy hub USA)")));
    }

    @ParameterizedTest(name = "deploy: {0}")
    @MethodSource("deployCases")
    void deployRefusesBadInputInOneLineWithExitTwoAndCreatesNothing(String what, List<String> args, List<String> expected) {
        for (boolean validateOnly : new boolean[]{true, false}) {
            List<String> a = new ArrayList<>(args.stream().map(this::paths).toList());
            a.addAll(List.of("--instances", instances.toString(), "--templates", TEMPLATES.toString()));
            if (validateOnly) a.add("--validate-only");
            Run r = deploy(a);
            assertThat(r.err).as("%s: what it says (validate-only %s)", what, validateOnly)
                    .isEqualTo(expected.stream().map(l -> "[deploy] " + paths(l) + "\n").reduce("", String::concat));
            assertThat(r.code).as("%s: exit code", what).isEqualTo(2);
            assertThat(r.out).as("%s: nothing on stdout", what).isEmpty();
            assertNothingCreated();
        }
    }

    @Test
    void aCodeAlreadyUsedByTheOtherKindIsRefusedNamingTheKindAndNothingOfItChanges() throws IOException {
        var gbr = new InstanceInit(TEMPLATES, instances).init("spoke", "GBR", "United Kingdom", "kit");
        Map<Path, String> before = snapshot(instances);
        Run r = deploy(List.of("hub", "GBR", "--instances", instances.toString(), "--templates", TEMPLATES.toString()));
        assertThat(r.err).isEqualTo("[deploy] instance GBR in " + gbr.directory() + " was created as a spoke; it cannot be initialised "
                + "as a hub: use another code, or remove " + gbr.directory() + " to re-create it\n");
        assertThat(r.code).isEqualTo(2);
        assertThat(snapshot(instances)).isEqualTo(before);
        assertThat(tmp.toFile().list()).as("temporary directories left behind").isEmpty();
    }

    @Test
    void validInputPassesValidationAndStillCreatesNothing() {
        Run r = deploy(List.of("hub", "USA", "--validate-only", "--instances", instances.toString(), "--templates", TEMPLATES.toString()));
        assertThat(r.err).isEmpty();
        assertThat(r.out).isEqualTo("[deploy] valid: hub USA, 8 services in 4 stage(s); nothing was created (--validate-only)\n");
        assertThat(r.code).isZero();
        assertNothingCreated();
    }

    @Test
    void aPartlyStagedFileIsDeployableWithAOneLineWarning() throws IOException {
        Path f = files.resolve("partly.yml");
        Files.writeString(f, "services:\n  postgres-usa:\n    image: i\n    labels: [dive.deploy.stage=1]\n  kas-usa:\n    image: k\n");
        Run r = deploy(List.of("hub", "USA", "--compose", f.toString(), "--validate-only", "--instances", instances.toString(),
                "--templates", TEMPLATES.toString()));
        assertThat(r.out).startsWith("[deploy] WARNING: kas-usa has no dive.deploy.stage label: no stage will start it "
                + "(the checks will name it as in no deployment stage)\n[deploy] valid: hub USA, 2 services in 1 stage(s)");
        assertThat(r.code).isZero();
        Run one = deploy(List.of("hub", "USA", "--compose", files.resolve("no-stage.yml").toString(), "--one-stage", "--validate-only",
                "--instances", instances.toString(), "--templates", TEMPLATES.toString()));
        assertThat(one.out).startsWith("[deploy] valid: hub USA, 2 services in 1 stage(s)");
        assertThat(one.code).isZero();
        assertNothingCreated();
    }

    @Test
    void aHubThatDoesNotAnswerGivesOneLineExitOneAndNoSpokeIsCreated() throws IOException {
        var hub = new InstanceInit(TEMPLATES, instances).init("hub", "USA", "Coalition Hub", "kit");
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path props = hub.directory().resolve(InstanceInit.PROPERTIES);
        Files.writeString(props, Files.readString(props).replaceAll("(?m)^PORT_OPAL_SERVER=\\d+$", "PORT_OPAL_SERVER=" + closed));
        Map<Path, String> before = snapshot(instances);
        Run r = run(new Deploy(), List.of("spoke", "FRA", "--instances", instances.toString(), "--templates", TEMPLATES.toString()));
        assertThat(r.err).as("stderr").matches("\\[deploy] spoke FRA needs a client token from the OPAL server of hub USA \\("
                + java.util.regex.Pattern.quote(hub.directory().toString()) + "\\), which did not give one: [^\\n]*Connection refused[^\\n]*; "
                + "is the hub deployed and running\\? \\(./dive-verify deploy hub USA\\)\n");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.out).isEmpty();
        assertThat(snapshot(instances)).as("no spoke directory, the hub unchanged").isEqualTo(before);
        assertThat(tmp.toFile().list()).isEmpty();
    }

    @Test
    void anUnexpectedErrorIsOneLineAndItsStackTraceOnlyWithDebug() {
        RuntimeException e = new IllegalStateException("outer\nsecond line", new java.io.IOException("disk on fire"));
        StringWriter plain = new StringWriter(), debug = new StringWriter();
        assertThat(Cli.report(e, "[x] ", new PrintWriter(plain, true), false)).isEqualTo(1);
        assertThat(plain.toString()).isEqualTo("[x] outer …: disk on fire (run with --debug for the stack trace)\n");
        Cli.report(e, "[x] ", new PrintWriter(debug, true), true);
        assertThat(debug.toString()).startsWith("[x] outer …: disk on fire\n").contains("\tat dive.verify.cli.BadInputTableTest");
    }

    static Stream<Arguments> explainCases() {
        return Stream.of(
                arguments("code", List.of("spoke", "fr"), List.of("instance code \"fr\" " + CODE)),
                arguments("kind", List.of("satellite"), List.of("deployment kind \"satellite\" is invalid: expected spoke or hub")),
                arguments("missing file", List.of("--compose", "{files}/missing.yml"),
                        List.of("--compose {files}/missing.yml: no such file; expected a compose file")),
                arguments("malformed YAML", List.of("--compose", "{files}/malformed.yml"),
                        List.of("{files}/malformed.yml:4: malformed YAML: expected ',' or ']', but got <stream end>")),
                arguments("no staged service", List.of("--compose", "{files}/no-stage.yml"),
                        List.of("{files}/no-stage.yml:1: no service has a deployment stage (label dive.deploy.stage), so none would be "
                                + "started: a, b; give each service a stage (dive.deploy.stage: \"1\", \"2\", ...), or deploy with "
                                + "--one-stage to start them all as one stage")),
                arguments("two problems", List.of("spoke", "FRA", "--compose", "{files}/two-problems.yml"),
                        List.of("{files}/two-problems.yml:5: service a: port \"eighty\" is not of the form [HOST_IP:]HOST_PORT:CONTAINER_PORT "
                                        + "or CONTAINER_PORT (ranges are not supported)",
                                "{files}/two-problems.yml:6: service a: depends_on names unknown service \"b\"; services are [a]")),
                arguments("exclusive", List.of("spoke", "--instance-dir", "{instances}/fra"),
                        List.of("give either --instance-dir DIR or KIND [CODE], not both")));
    }

    @ParameterizedTest(name = "explain: {0}")
    @MethodSource("explainCases")
    void explainRefusesBadInputWithEveryProblemAndExitTwo(String what, List<String> args, List<String> expected) {
        List<String> a = new ArrayList<>(args.stream().map(this::paths).toList());
        a.addAll(List.of("--instances", instances.toString(), "--templates", TEMPLATES.toString()));
        Run r = run(new Explain(), a);
        assertThat(r.err).as(what).isEqualTo(expected.stream().map(l -> "[explain] " + paths(l) + "\n").reduce("", String::concat));
        assertThat(r.code).isEqualTo(2);
        assertNothingCreated();
    }

    @Test
    void explainNamesTheTemplatesOwnFilesNotTheTemporaryOnes() throws IOException {
        Path broken = root.resolve("templates");
        copy(TEMPLATES, broken, List.of("hub", "spoke", "images", "policies", "kit/versions.env"));
        Path spoke = broken.resolve("spoke/docker-compose.template.yml");
        List<String> lines = new ArrayList<>(Files.readAllLines(spoke));
        int stage2 = lines.indexOf("      dive.deploy.stage: \"2\"");
        lines.set(stage2, "      dive.deploy.stage: \"two\"");
        int token = lines.indexOf("      OPAL_CLIENT_TOKEN: ${SPOKE_OPAL_TOKEN:-}");
        lines.set(token, "      OPAL_CLIENT_TOKEN: ${SPOKE_OPAL_TOKN:?is needed}");
        Files.write(spoke, lines);
        Run r = run(new Explain(), List.of("spoke", "GBR", "--instances", instances.toString(), "--templates", broken.toString()));
        assertThat(r.err).isEqualTo("[explain] " + spoke + ":" + (token + 1) + ": variable SPOKE_OPAL_TOKN: is needed\n"
                + "[explain] " + spoke + ":" + (stage2 + 1) + ": service opal-client-gbr: label dive.deploy.stage must be a stage number 1, 2, 3 …, was \"two\"\n");
        assertThat(r.code).isEqualTo(2);
        assertNothingCreated();
    }

    @Test
    void explainWorksForEveryKindAndCodeWithoutAnEngine() {
        Run both = run(new Explain(), List.of("--instances", instances.toString(), "--templates", TEMPLATES.toString()));
        assertThat(both.code).as(both.err).isZero();
        assertThat(both.out).contains("Deployment dive-hub (8 services)", "opal-server-usa", "Deployment dive-spoke-fra (9 services)", "kas-fra");
        Run hub = run(new Explain(), List.of("hub", "GBR", "--instances", instances.toString(), "--templates", TEMPLATES.toString()));
        assertThat(hub.code).as(hub.err).isZero();
        assertThat(hub.out).contains("opal-server-gbr").doesNotContain("spoke");
        Run spoke = run(new Explain(), List.of("spoke", "GBR", "--instances", instances.toString(), "--templates", TEMPLATES.toString()));
        assertThat(spoke.code).as(spoke.err).isZero();
        assertThat(spoke.out).contains("Deployment dive-spoke-gbr (9 services)");
        Run oneStage = run(new Explain(), List.of("--compose", files.resolve("no-stage.yml").toString(), "--one-stage"));
        assertThat(oneStage.out).contains("stage 1 of 1");
        assertThat(oneStage.code).isZero();
        assertNothingCreated();
    }

    @Test
    void explainLeavesOutAServiceOfAnInactiveProfileUntilItIsActivated() throws IOException {
        Path f = files.resolve("profiles.yml");
        Files.writeString(f, "services:\n  a:\n    image: i\n    labels: {dive.deploy.stage: \"1\"}\n"
                + "  dbg:\n    image: d\n    profiles: [debug]\n    labels: {dive.deploy.stage: \"1\"}\n");
        Run none = run(new Explain(), List.of("--compose", f.toString()));
        assertThat(none.code).as(none.err).isZero();
        assertThat(none.out).contains("(1 services)", "NOT DEPLOYED (profile debug not active; --compose-profile activates one): dbg");
        Run debug = run(new Explain(), List.of("--compose", f.toString(), "--compose-profile", "debug"));
        assertThat(debug.code).as(debug.err).isZero();
        assertThat(debug.out).contains("(2 services)").doesNotContain("NOT DEPLOYED");
        assertNothingCreated();
    }

    @Test
    void statusRefusesAnUnknownSpokeAndASpokeWithoutHub() {
        Run r = run(new Status(), List.of("FRA", "--instances", instances.toString()));
        assertThat(r.err).isEqualTo("[status] no instance FRA in " + instances + ": expected a spoke deployed before (./dive-verify deploy spoke FRA)\n");
        assertThat(r.code).isEqualTo(2);
        Run bad = run(new Status(), List.of("fr", "--instances", instances.toString()));
        assertThat(bad.err).isEqualTo("[status] instance code \"fr\" " + CODE + "\n");
        assertThat(bad.code).isEqualTo(2);
        assertNothingCreated();
    }

    // ------------------------------------------------------------------ helpers

    record Run(int code, String out, String err) {}

    private Run deploy(List<String> args) {
        Deploy d = new Deploy();
        d.afterValidation = v -> fail("validation passed for " + args + ": the command would go on to create the instance");
        return run(d, args);
    }

    private static Run run(Object command, List<String> args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Cli.execute(command, args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private String paths(String s) {
        return s.replace("{files}", files.toString()).replace("{instances}", instances.toString());
    }

    private void assertNothingCreated() {
        assertThat(Files.exists(instances) ? instances.toFile().list() : new String[0]).as("instances created").isEmpty();
        assertThat(tmp.toFile().list()).as("temporary directories left behind").isEmpty();
    }

    private static Map<Path, String> snapshot(Path dir) throws IOException {
        Map<Path, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p), Files.getLastModifiedTime(p) + " " + new String(Files.readAllBytes(p)).hashCode());
            }
        }
        return out;
    }

    private static void copy(Path from, Path to, List<String> parts) throws IOException {
        for (String part : parts) {
            try (Stream<Path> s = Files.walk(from.resolve(part))) {
                for (Path p : new TreeSet<>(s.toList())) {
                    Path dst = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(dst);
                    else {
                        Files.createDirectories(dst.getParent());
                        Files.copy(p, dst);
                    }
                }
            }
        }
    }
}
