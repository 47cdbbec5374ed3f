package dive.verify.instance;

import dive.verify.report.Secrets;
import dive.verify.template.ComposeLoader;
import dive.verify.template.DeploymentPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * An initialised instance directory: its code, the host ports chosen at init
 * and its .env. Loading it registers every secret value for redaction.
 */
public final class Instance {
    private final Path dir;
    private final InstanceCode code;
    private final Properties props;
    private final EnvFile env;

    private Instance(Path dir, InstanceCode code, Properties props) {
        this.dir = dir;
        this.code = code;
        this.props = props;
        this.env = new EnvFile(dir.resolve(".env"));
    }

    public static Instance load(Path dir) {
        Properties p = new Properties();
        Path f = dir.resolve("instance.properties");
        if (!Files.exists(f)) throw new IllegalArgumentException("no instance in " + dir + " (instance.properties missing): run init first");
        try (var r = Files.newBufferedReader(f)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instance i = new Instance(dir, InstanceCode.of(p.getProperty("code")), p);
        i.registerSecrets();
        return i;
    }

    /**
     * An instance directory another tool deployed from (its compose file and
     * .env, as DIVE's own {@code instances/fra/}): nothing is written into it;
     * the code and host ports are what the running deployment shows.
     */
    public static Instance ofDeployed(Path dir, InstanceCode code, String name, Map<String, Integer> hostPorts) {
        Properties p = new Properties();
        p.setProperty("code", code.upper());
        p.setProperty("name", name);
        p.setProperty("kind", "spoke");
        hostPorts.forEach((kind, port) -> p.setProperty("PORT_" + kind.toUpperCase().replace('-', '_'), String.valueOf(port)));
        Instance i = new Instance(dir, code, p);
        i.registerSecrets();
        return i;
    }

    /** Every value of .env whose name marks a secret goes into the redaction registry. */
    public void registerSecrets() {
        env.read().forEach((k, v) -> {
            if (isSecretName(k)) Secrets.register(v);
        });
    }

    static boolean isSecretName(String name) {
        return name.matches(".*(PASSWORD|SECRET|TOKEN|KEY|DATABASE_URL).*");
    }

    public Path dir() { return dir; }

    public InstanceCode code() { return code; }

    public String name() { return props.getProperty("name"); }

    public Path composeFile() { return dir.resolve(InstanceInit.COMPOSE_FILE); }

    public int port(String service) {
        String key = "PORT_" + service.toUpperCase().replace('-', '_');
        String v = props.getProperty(key);
        if (v == null) throw new IllegalArgumentException("instance " + code + " has no host port " + key + "; known: " + props.stringPropertyNames());
        return Integer.parseInt(v);
    }

    /** A value of .env (e.g. a password); never print it. */
    public String secret(String name) {
        String v = env.read().get(name);
        if (v == null) throw new IllegalStateException(name + " is not set in " + env.path());
        return v;
    }

    public EnvFile env() { return env; }

    /** The .env key holding when the spoke's registration wrote SPOKE_ID and SPOKE_TOKEN (an ISO-8601 instant). */
    public static final String REGISTERED_AT = "SPOKE_REGISTERED_AT";

    /**
     * When the instance was registered with its hub (SPOKE_ID and SPOKE_TOKEN
     * written to its .env), or empty when it never was: then everything it
     * logged was written before registration.
     */
    public java.util.Optional<java.time.Instant> registeredAt() {
        return registeredAt(env.read().get(REGISTERED_AT), env.path().toString());
    }

    static java.util.Optional<java.time.Instant> registeredAt(String v, String where) {
        if (v == null || v.isBlank()) return java.util.Optional.empty();
        try {
            return java.util.Optional.of(java.time.Instant.parse(v.strip()));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalStateException(REGISTERED_AT + " in " + where + " is not an instant: " + v, e);
        }
    }

    /** The instance's compose file, interpolated with its .env. */
    public DeploymentPlan plan() { return plan(composeFile()); }

    public DeploymentPlan plan(Path composeFile) {
        registerSecrets();
        Map<String, String> vars = new java.util.HashMap<>(env.read());
        return ComposeLoader.load(composeFile, vars);
    }

    /** Service key of a kind in this instance: {@code kas} → {@code kas-fra}. */
    public String service(String kind) { return kind + "-" + code.lower(); }
}
