package dive.verify.instance;

import dive.verify.template.Placeholders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The equivalent of {@code spoke init FRA "France Defence"}: validates the
 * inputs, then creates {@code <instances>/<code>/} with the rendered template
 * files, {@code instance.properties} (name, profile, the host ports chosen once)
 * and {@code .env} (0600) with its secrets synced. Running it again changes
 * nothing: ports are reused and files are rewritten only when they differ.
 */
public final class InstanceInit {
    public static final String COMPOSE_TEMPLATE = "docker-compose.template.yml";
    public static final String COMPOSE_FILE = "docker-compose.yml";
    private static final Pattern PORT_PLACEHOLDER = Pattern.compile("\\{\\{\\s*(PORT_[A-Z0-9_]+)\\s*}}");

    /** What init produced. */
    public record Result(Path directory, Path composeFile, EnvFile env, Map<String, Integer> ports,
                         SecretsSync.Result secrets, List<Path> written) {}

    private final Path templatesDir;
    private final Path instancesDir;

    public InstanceInit(Path templatesDir, Path instancesDir) {
        this.templatesDir = templatesDir;
        this.instancesDir = instancesDir;
    }

    /**
     * @param kind    {@code spoke} or {@code hub} (the template folder)
     * @param code    the instance code as the user typed it
     * @param name    a human name, e.g. "France Defence"
     * @param profile the image profile (kit, upstream, …)
     */
    public Result init(String kind, String code, String name, String profile) {
        // Validate everything before anything is written.
        Checked c = check(kind, code, name, profile);
        InstanceCode ic = c.code();
        Path templateDir = c.templateDir();
        Map<String, String> images = c.images();
        Path dir = c.directory();
        try {
            Files.createDirectories(dir);
            Properties props = loadProperties(dir);
            Map<String, Integer> ports = ports(templateDir, props);
            props.setProperty("code", ic.upper());
            props.setProperty("name", name);
            props.setProperty("kind", kind);
            props.setProperty("profile", profile);
            ports.forEach((k, v) -> props.setProperty(k, String.valueOf(v)));

            Map<String, String> values = new LinkedHashMap<>(images);
            values.put("INSTANCE_CODE_UPPER", ic.upper());
            values.put("INSTANCE_CODE_LOWER", ic.lower());
            values.put("INSTANCE_NAME", name);
            List<String> clearances = NationalClearances.forInstance(ic);
            for (int i = 0; i < clearances.size(); i++) values.put("CLEARANCE_" + (i + 1), clearances.get(i));
            ports.forEach((k, v) -> values.put(k, String.valueOf(v)));

            List<Path> written = new ArrayList<>();
            try (Stream<Path> files = Files.walk(templateDir)) {
                for (Path src : files.filter(Files::isRegularFile).sorted().toList()) {
                    Path rel = templateDir.relativize(src);
                    String fileName = rel.getFileName().toString();
                    boolean render = fileName.contains(".template.");
                    Path dst = dir.resolve(rel.toString().replace(".template.", "."));
                    byte[] content = render
                            ? Placeholders.render(Files.readString(src), values, src.toString()).getBytes(StandardCharsets.UTF_8)
                            : Files.readAllBytes(src);
                    if (writeIfChanged(dst, content)) written.add(dst);
                }
            }
            if (writeIfChanged(dir.resolve("instance.properties"), propertiesBytes(props))) written.add(dir.resolve("instance.properties"));
            if (kind.equals("hub")) {
                // the OPAL server's policy source: a git repository made from templates/policies
                new PolicyRepository(dir.resolve("policy-repo")).sync(templatesDir.resolve("policies"), "policies from templates/policies");
            }
            EnvFile env = new EnvFile(dir.resolve(".env"));
            env.ensureExists("# Secrets and settings of instance " + ic + " (" + name + "). Mode 0600. Never commit.\n");
            SecretsSync.Result secrets = SecretsSync.sync(env, ic);
            if (kind.equals("hub")) secrets = hubSecrets(env, secrets);
            return new Result(dir, dir.resolve(COMPOSE_FILE), env, ports, secrets, written);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot initialise instance " + ic + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** What {@link #check} validated: where the instance lives and what it is made from. */
    public record Checked(InstanceCode code, String kind, String name, Path templateDir, Map<String, String> images,
                          Path directory, boolean exists) {}

    /**
     * Every check of {@link #init}, without writing anything: the code, the name, the kind, the
     * template, the image profile, and an existing instance of the same code, whose kind (fixed
     * when it was created) and name must be the same.
     */
    public Checked check(String kind, String code, String name, String profile) {
        InstanceCode ic = InstanceCode.of(code);
        if (name == null || name.isBlank() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)
                || name.contains("{{") || name.contains("$") || name.contains("\"") || name.contains("\\")) {
            throw new IllegalArgumentException("instance name " + (name == null ? "(none)" : "\"" + name.replaceAll("\\p{Cntrl}", "?") + "\"")
                    + " is invalid: expected 1 to 100 printable characters without {{, $, quotes or backslashes, e.g. \"France Defence\"");
        }
        checkKind(kind);
        Path templateDir = templatesDir.resolve(kind);
        Path template = templateDir.resolve(COMPOSE_TEMPLATE);
        if (!Files.isRegularFile(template)) {
            throw new IllegalArgumentException("template not found: expected " + template);
        }
        Map<String, String> images = ImageProfile.load(templatesDir, profile);
        Path dir = instancesDir.resolve(ic.lower());
        Properties props;
        try {
            props = loadProperties(dir);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("instance " + ic + ": cannot read " + dir.resolve(PROPERTIES) + ": " + e.getMessage());
        }
        String recordedKind = props.getProperty("kind");
        if (recordedKind != null && !recordedKind.equals(kind)) {
            throw new IllegalArgumentException("instance " + ic + " in " + dir + " was created as a " + recordedKind
                    + "; it cannot be initialised as a " + kind + ": use another code, or remove " + dir + " to re-create it");
        }
        String previousName = props.getProperty("name");
        if (previousName != null && !previousName.equals(name)) {
            throw new IllegalArgumentException("instance " + ic + " already exists in " + dir + " with name \""
                    + previousName + "\"; remove the directory to re-create it under another name");
        }
        return new Checked(ic, kind, name, templateDir, images, dir, Files.exists(dir.resolve(PROPERTIES)));
    }

    /** @throws IllegalArgumentException unless {@code kind} is spoke or hub */
    public static String checkKind(String kind) {
        if (kind == null || !kind.matches("spoke|hub")) {
            throw new IllegalArgumentException("deployment kind " + (kind == null ? "(none)" : "\"" + kind.replaceAll("\\p{Cntrl}", "?") + "\"")
                    + " is invalid: expected spoke or hub");
        }
        return kind;
    }

    public static final String PROPERTIES = "instance.properties";

    /** The kind an instance directory was created as ({@code hub}, {@code spoke}), or null when it records none. */
    public static String recordedKind(Path instanceDir) {
        try {
            return loadProperties(instanceDir).getProperty("kind");
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The instance directories of {@code instancesDir} created as {@code kind}, by code. */
    public static List<Path> instancesOfKind(Path instancesDir, String kind) {
        if (!Files.isDirectory(instancesDir)) return List.of();
        try (Stream<Path> dirs = Files.list(instancesDir)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(PROPERTIES)) && kind.equals(recordedKind(d))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + instancesDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * What only a hub needs, whatever its code: the OPAL server's key pair (its client tokens) and the
     * federation admin token. {@link SecretsSync} adds them for the code USA; a hub of another code gets
     * them here, generated and kept in the same way.
     */
    private static SecretsSync.Result hubSecrets(EnvFile env, SecretsSync.Result synced) {
        Map<String, String> existing = env.read();
        Map<String, String> add = new LinkedHashMap<>();
        if (!existing.containsKey("OPAL_AUTH_PRIVATE_KEY") && !existing.containsKey("OPAL_AUTH_PUBLIC_KEY")) {
            OpalKeys.Pair keys = OpalKeys.generate();
            add.put("OPAL_AUTH_PRIVATE_KEY", keys.privateKeyEnv());
            add.put("OPAL_AUTH_PUBLIC_KEY", keys.publicKeySsh());
        }
        if (!existing.containsKey("FEDERATION_ADMIN_TOKEN")) add.put("FEDERATION_ADMIN_TOKEN", SecretsSync.randomToken(32));
        if (add.isEmpty()) return synced;
        env.append("generated by dive-verify secrets sync (CSPRNG); never overwritten", add);
        List<String> generated = new ArrayList<>(synced.generated());
        generated.addAll(add.keySet());
        return new SecretsSync.Result(List.copyOf(generated), synced.kept(), synced.warnings());
    }

    /** Ports the template asks for, reusing those chosen at an earlier init. */
    private Map<String, Integer> ports(Path templateDir, Properties props) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(templateDir)) {
            for (Path f : files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().contains(".template.")).toList()) {
                Matcher m = PORT_PLACEHOLDER.matcher(Files.readString(f));
                while (m.find()) names.add(m.group(1));
            }
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        java.util.Set<Integer> taken = portsOfOtherInstances();
        for (String n : names) {
            String existing = props.getProperty(n);
            int port = existing != null ? Integer.parseInt(existing) : freePort(taken);
            taken.add(port);
            out.put(n, port);
        }
        return out;
    }

    /**
     * Host ports are chosen below the kernel's ephemeral range (32768+ here),
     * where outgoing connections and Docker's own random ports never land, so a
     * port that was free at init is still free when its container starts.
     */
    static final int PORT_MIN = 20000, PORT_MAX = 32000;
    private static final java.security.SecureRandom PORTS = new java.security.SecureRandom();

    private static int freePort(java.util.Set<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 500; attempt++) {
            int p = PORT_MIN + PORTS.nextInt(PORT_MAX - PORT_MIN);
            if (taken.contains(p)) continue;
            try (ServerSocket s = new ServerSocket(p)) {
                s.setReuseAddress(true);
                return p;
            } catch (IOException inUse) {
                // try another
            }
        }
        throw new IOException("no free host port between " + PORT_MIN + " and " + PORT_MAX);
    }

    /** Ports already given to the other instances of this instances directory. */
    private java.util.Set<Integer> portsOfOtherInstances() throws IOException {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        if (!Files.isDirectory(instancesDir)) return out;
        try (Stream<Path> dirs = Files.list(instancesDir)) {
            for (Path d : dirs.toList()) {
                Properties p = loadProperties(d);
                for (String k : p.stringPropertyNames()) if (k.startsWith("PORT_")) out.add(Integer.parseInt(p.getProperty(k)));
            }
        }
        return out;
    }

    private static Properties loadProperties(Path dir) throws IOException {
        Properties p = new Properties();
        Path f = dir.resolve(PROPERTIES);
        if (Files.exists(f)) try (var r = Files.newBufferedReader(f)) { p.load(r); }
        return p;
    }

    /** Sorted, without the timestamp comment {@link Properties#store} adds, so re-init is byte-identical. */
    private static byte[] propertiesBytes(Properties p) {
        StringBuilder sb = new StringBuilder("# dive-verify instance; ports chosen once at first init\n");
        new TreeSet<>(p.stringPropertyNames()).forEach(k -> sb.append(k).append('=')
                .append(p.getProperty(k).replace("\\", "\\\\")).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean writeIfChanged(Path dst, byte[] content) throws IOException {
        if (Files.exists(dst) && java.util.Arrays.equals(Files.readAllBytes(dst), content)) return false;
        Files.createDirectories(dst.getParent());
        Path tmp = dst.resolveSibling(dst.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return true;
    }
}
