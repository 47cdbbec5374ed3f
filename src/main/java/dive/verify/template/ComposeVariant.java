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
    private final List<String> initServices = new java.util.ArrayList<>();

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

    /** Sets a label, adding the service's labels map when it has none. */
    @SuppressWarnings("unchecked")
    public ComposeVariant setLabel(String service, String label, String value) {
        return change(service, s -> ((Map<String, Object>) s.computeIfAbsent("labels", k -> new java.util.LinkedHashMap<String, Object>()))
                .put(label, value));
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

    /** Leaves a service out entirely (as an operator's file that forgot it). */
    @SuppressWarnings("unchecked")
    public ComposeVariant removeService(String key) {
        service(key);
        ((Map<String, Object>) doc.get("services")).remove(key);
        return this;
    }

    /** The file's project name (its top-level {@code name}), or null. */
    public String projectName() {
        Object n = doc.get("name");
        return n == null ? null : n.toString();
    }

    /** The one-shot services {@link #forDockerCompose()} made of the {@code post_start} hooks ({@code <service>-init…}). */
    public List<String> initServices() {
        return List.copyOf(initServices);
    }

    /**
     * The same deployment in the form Debian's docker-compose 1.29 runs, as an
     * operator's own pipeline would: no top-level {@code name} (the project is
     * given with {@code -p}), the shared network {@code dive-shared} external
     * (the hub made it), and each {@code post_start} hook as a one-shot init
     * service beside its service, as the real DIVE template does for the
     * replica-set initiation. The hook's client ({@code mongosh}, or the kit's
     * {@code dive-mongo-rs}) is pointed at the service by name and retried
     * until it answers.
     */
    @SuppressWarnings("unchecked")
    public ComposeVariant forDockerCompose() {
        doc.remove("name");
        Object nets = doc.get("networks");
        if (nets instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                if (v instanceof Map<?, ?> n && "dive-shared".equals(n.get("name"))) ((Map<String, Object>) n).put("external", true);
            }
        }
        Map<String, Object> services = (Map<String, Object>) doc.get("services");
        Map<String, Object> inits = new java.util.LinkedHashMap<>();
        for (var e : services.entrySet()) {
            Map<String, Object> svc = (Map<String, Object>) e.getValue();
            Object hooks = svc.remove("post_start");
            if (!(hooks instanceof List<?> list)) continue;
            int n = 0;
            for (Object h : list) {
                List<String> cmd = (List<String>) ((Map<String, Object>) h).get("command");
                String script = cmd.get(cmd.size() - 1).replace("mongosh ", "mongosh --host " + e.getKey() + " ")
                        .replace("dive-mongo-rs initiate ", "dive-mongo-rs --host " + e.getKey() + " initiate ");
                Map<String, Object> init = new java.util.LinkedHashMap<>();
                init.put("image", svc.get("image"));
                init.put("entrypoint", List.of("sh", "-c", "for i in $$(seq 1 60); do " + script + " && exit 0; sleep 1; done; exit 1"));
                if (svc.get("environment") != null) init.put("environment", svc.get("environment"));
                if (svc.get("networks") != null) init.put("networks", svc.get("networks") instanceof Map<?, ?> nm ? new java.util.ArrayList<>(nm.keySet()) : svc.get("networks"));
                init.put("depends_on", Map.of(e.getKey(), Map.of("condition", "service_started")));
                init.put("restart", "no");
                String name = e.getKey() + "-init" + (n++ == 0 ? "" : "-" + n);
                inits.put(name, init);
                initServices.add(name);
            }
        }
        services.putAll(inits);
        return this;
    }

    /**
     * The order of record as compose understands it: a staged service that declares no {@code depends_on} gets one on
     * every service of the earlier stages (healthy when it has a healthcheck, else started), as this harness starts
     * it. For comparing deployers on the same order (the benchmark); an operator's compose ignores stage labels.
     */
    @SuppressWarnings("unchecked")
    public ComposeVariant withStageOrder() {
        Map<String, Object> services = (Map<String, Object>) doc.get("services");
        Map<String, Integer> stages = new java.util.LinkedHashMap<>();
        for (var e : services.entrySet()) {
            Object labels = ((Map<String, Object>) e.getValue()).get("labels");
            Object stage = labels instanceof Map<?, ?> m ? m.get(ServiceSpec.STAGE_LABEL) : null;
            if (stage != null) stages.put(e.getKey(), Integer.parseInt(String.valueOf(stage)));
        }
        for (var e : stages.entrySet()) {
            Map<String, Object> svc = (Map<String, Object>) services.get(e.getKey());
            if (svc.get("depends_on") != null) continue;
            Map<String, Object> deps = new java.util.LinkedHashMap<>();
            stages.forEach((other, st) -> {
                if (st >= e.getValue()) return;
                boolean checked = ((Map<String, Object>) services.get(other)).get("healthcheck") != null;
                deps.put(other, Map.of("condition", checked ? "service_healthy" : "service_started"));
            });
            if (!deps.isEmpty()) svc.put("depends_on", deps);
        }
        return this;
    }

    /** Writes the variant beside {@code original} and returns its path. */
    public Path writeBeside(Path original, String variantName) {
        Path out = original.resolveSibling("docker-compose.variant-" + variantName.replaceAll("[^a-z0-9-]", "-") + ".yml");
        return writeAs(out, "variant \"" + variantName + "\" of " + original.getFileName() + " (negative scenario)");
    }

    /** Writes the variant to {@code out}, with {@code header} as its first-line comment. */
    public Path writeAs(Path out, String header) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setWidth(4000);
        try {
            Files.writeString(out, "# " + header + "\n" + new Yaml(o).dump(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
