package dive.verify.template;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A deliberately broken copy of a rendered compose file, for negative
 * scenarios: the same template with one thing changed. Written next to the
 * original so relative bind mounts still resolve.
 */
public final class ComposeVariant {
    private final Map<String, Object> doc;

    private ComposeVariant(Map<String, Object> doc) { this.doc = doc; }

    @SuppressWarnings("unchecked")
    public static ComposeVariant of(Path composeFile) {
        try {
            return new ComposeVariant((Map<String, Object>) new Yaml().load(Files.readString(composeFile)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> service(String key) {
        Map<String, Object> services = (Map<String, Object>) doc.get("services");
        Map<String, Object> s = (Map<String, Object>) services.get(key);
        if (s == null) throw new IllegalArgumentException("no service " + key + " in the template; services are " + services.keySet());
        return s;
    }

    public ComposeVariant change(String service, Consumer<Map<String, Object>> change) {
        change.accept(service(service));
        return this;
    }

    @SuppressWarnings("unchecked")
    public ComposeVariant removeLabel(String service, String label) {
        return change(service, s -> ((Map<String, Object>) s.get("labels")).remove(label));
    }

    @SuppressWarnings("unchecked")
    public ComposeVariant removeEnvironment(String service, String variable) {
        return change(service, s -> {
            Object env = s.get("environment");
            if (env instanceof Map<?, ?> m) ((Map<String, Object>) m).remove(variable);
            else if (env instanceof List<?> l) l.removeIf(e -> String.valueOf(e).startsWith(variable + "="));
        });
    }

    public ComposeVariant remove(String service, String key) {
        return change(service, s -> s.remove(key));
    }

    public ComposeVariant set(String service, String key, Object value) {
        return change(service, s -> s.put(key, value));
    }

    /** Writes the variant beside {@code original} and returns its path. */
    public Path writeBeside(Path original, String variantName) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setWidth(4000);
        Path out = original.resolveSibling("docker-compose.variant-" + variantName.replaceAll("[^a-z0-9-]", "-") + ".yml");
        try {
            Files.writeString(out, "# variant \"" + variantName + "\" of " + original.getFileName() + " (negative scenario)\n" + new Yaml(o).dump(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
