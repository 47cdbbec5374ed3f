package dive.verify.template;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every key of the Compose Specification's top level and of its service,
 * network and volume definitions, with what the loader and the deployer do
 * with it: honoured, honoured in part (the rest refused by name), or refused.
 * No key is accepted and then ignored. The README's table
 * "Compose keys: honoured or refused" is {@link #markdownTable()}; a unit test
 * keeps the two equal and checks the list against the specification's schema.
 */
public final class ComposeKeys {
    private ComposeKeys() {}

    public enum Support {
        HONOURED("honoured"), PARTIAL("partly honoured"), REFUSED("refused");

        final String word;

        Support(String word) { this.word = word; }
    }

    /** One key of one definition ({@code top level}, {@code service}, {@code network}, {@code volume}). */
    public record Key(String definition, String name, Support support, String note) {}

    private static final Map<String, Key> TOP = new LinkedHashMap<>();
    private static final Map<String, Key> SERVICE = new LinkedHashMap<>();
    private static final Map<String, Key> NETWORK = new LinkedHashMap<>();
    private static final Map<String, Key> VOLUME = new LinkedHashMap<>();

    private static void top(String name, Support s, String note) { TOP.put(name, new Key("top level", name, s, note)); }
    private static void service(String name, Support s, String note) { SERVICE.put(name, new Key("service", name, s, note)); }
    private static void network(String name, Support s, String note) { NETWORK.put(name, new Key("network", name, s, note)); }
    private static void volume(String name, Support s, String note) { VOLUME.put(name, new Key("volume", name, s, note)); }

    private static final Support H = Support.HONOURED, P = Support.PARTIAL, R = Support.REFUSED;

    /** The message of a refused {@code build}. */
    public static final String BUILD = "build is not supported: build the image first and use image:";

    static {
        top("name", H, "the project name; without it, the compose file's directory name");
        top("services", H, "");
        top("networks", H, "see the network keys");
        top("volumes", H, "see the volume keys");
        top("version", H, "obsolete; accepted and without effect, as in compose");
        top("configs", R, "use a bind mount (volumes:) instead");
        top("secrets", R, "use environment: (from the instance's .env) or a bind mount instead");
        top("include", R, "merge the files into one");
        top("models", R, "");

        service("annotations", R, "");
        service("attach", R, "every service's log is always collected");
        service("blkio_config", R, "");
        service("build", R, BUILD);
        service("cap_add", H, "capability names as in capabilities(7), with or without CAP_, or ALL");
        service("cap_drop", H, "as cap_add");
        service("cgroup", R, "");
        service("cgroup_parent", R, "");
        service("command", H, "a string is split as a shell would, without running one");
        service("configs", R, "use a bind mount (volumes:) instead");
        service("container_name", H, "");
        service("cpu_count", R, "use cpus:");
        service("cpu_percent", R, "use cpus:");
        service("cpu_period", R, "use cpus:");
        service("cpu_quota", R, "use cpus:");
        service("cpu_rt_period", R, "");
        service("cpu_rt_runtime", R, "");
        service("cpu_shares", R, "use cpus:");
        service("cpus", H, "the engine's NanoCpus; must agree with deploy.resources.limits.cpus when both are given");
        service("cpuset", R, "");
        service("credential_spec", R, "");
        service("depends_on", P, "all three conditions: a service starts only once its dependencies reached theirs "
                + "(earlier stages are ready; within a stage in dependency order); a dependency must be in the same or an earlier "
                + "stage; cycles refused; service_healthy goes by the dependency's healthcheck (the file's, else its image's: "
                + "without either the deployment fails); "
                + "service_completed_successfully makes the dependency one-shot (it must exit 0); "
                + "required: false and restart: true refused");
        service("deploy", P, "only resources.limits.cpus and resources.limits.memory; every other deploy key refused by name");
        service("develop", R, "");
        service("device_cgroup_rules", R, "");
        service("devices", R, "");
        service("dns", R, "");
        service("dns_opt", R, "");
        service("dns_search", R, "");
        service("domainname", R, "");
        service("entrypoint", H, "also clears the image's CMD when command: is not given, as in compose");
        service("env_file", P, "a path or a list of paths, relative to the compose file; the long syntax (path:, required:, format:) refused");
        service("environment", H, "mapping or list; an entry without a value (FOO, or FOO: with nothing) takes the host's value "
                + "of FOO (else the instance's .env), and is left out when neither has it");
        service("expose", P, "TCP ports; ranges and /udp refused");
        service("extends", R, "write the service out in full");
        service("external_links", R, "use networks: with aliases");
        service("extra_hosts", H, "list (HOST:IP or HOST=IP) or mapping");
        service("gpus", R, "");
        service("group_add", R, "");
        service("healthcheck", P, "test, interval, timeout, retries, start_period, disable; start_interval refused");
        service("hostname", R, "services reach each other by service name and network aliases");
        service("image", H, "never pulled: the image must be present in the engine (the offline kit)");
        service("init", H, "");
        service("ipc", R, "");
        service("isolation", R, "");
        service("label_file", R, "use labels:");
        service("labels", H, "the dive.deploy.* labels also give the stage, start budget, fatal log line and one-shot");
        service("links", R, "use networks: with aliases");
        service("logging", R, "every service's log is collected into the run's log directory");
        service("mac_address", R, "");
        service("mem_limit", H, "the engine's Memory, in bytes or with b, k, m, g; must agree with deploy.resources.limits.memory "
                + "when both are given");
        service("mem_reservation", R, "");
        service("mem_swappiness", R, "");
        service("memswap_limit", R, "");
        service("models", R, "");
        service("network_mode", R, "use networks:");
        service("networks", P, "list or mapping with aliases; the other per-network keys (ipv4_address, priority, ...) refused");
        service("oom_kill_disable", R, "");
        service("oom_score_adj", R, "");
        service("pid", R, "");
        service("pids_limit", R, "");
        service("platform", R, "the image must be present for the engine's own platform");
        service("ports", P, "short syntax [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]; ranges and the long syntax refused");
        service("post_start", P, "command only; user, privileged, working_dir and environment of a hook refused");
        service("pre_stop", R, "");
        service("privileged", R, "");
        service("profiles", H, "a service with profiles is deployed only when one of them is active (--compose-profile); none "
                + "is active by default");
        service("provider", R, "");
        service("pull_policy", R, "images are never pulled");
        service("pull_refresh_after", R, "images are never pulled");
        service("read_only", R, "");
        service("restart", H, "no, always, unless-stopped, on-failure[:N]; any other value refused");
        service("runtime", R, "");
        service("scale", R, "one container per service");
        service("secrets", R, "use environment: (from the instance's .env) or a bind mount instead");
        service("security_opt", R, "");
        service("shm_size", R, "");
        service("stdin_open", R, "");
        service("stop_grace_period", R, "");
        service("stop_signal", R, "");
        service("storage_opt", R, "");
        service("sysctls", R, "");
        service("tmpfs", H, "a path or a list of PATH[:OPTIONS]");
        service("tty", R, "");
        service("ulimits", R, "");
        service("use_api_socket", R, "");
        service("user", H, "");
        service("userns_mode", R, "");
        service("uts", R, "");
        service("volumes", P, "short syntax SOURCE:TARGET[:ro|rw], SOURCE a declared named volume or an existing path; "
                + "the long syntax and other options refused");
        service("volumes_from", R, "");
        service("working_dir", H, "");

        network("attachable", R, "");
        network("driver", P, "bridge only");
        network("driver_opts", R, "");
        network("enable_ipv4", R, "");
        network("enable_ipv6", R, "");
        network("external", H, "looked up under its own name (name:, else its key), never created; it must exist; "
                + "no other key but name: may go with it");
        network("internal", H, "");
        network("ipam", R, "");
        network("labels", H, "set when the network is created here (an existing network of that name is joined as it is)");
        network("name", H, "without it, PROJECT_KEY as in compose");

        volume("driver", P, "local only");
        volume("driver_opts", R, "");
        volume("external", H, "looked up under its own name (name:, else its key), never created; it must exist; "
                + "no other key but name: may go with it");
        volume("labels", H, "");
        volume("name", H, "without it, PROJECT_KEY as in compose");
    }

    public static Map<String, Key> topLevel() { return TOP; }
    public static Map<String, Key> service() { return SERVICE; }
    public static Map<String, Key> network() { return NETWORK; }
    public static Map<String, Key> volume() { return VOLUME; }

    /** Names of a definition's keys that are honoured, fully or in part. */
    static Set<String> supported(Map<String, Key> keys) {
        return keys.values().stream().filter(k -> k.support() != Support.REFUSED).map(Key::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Why {@code name} is refused in a definition: {@code unsupported key "tty"} and the key's note, or that it is not a
     * key of the Compose Specification at all (a misspelling, usually). The caller adds what is supported.
     */
    static String refusal(Map<String, Key> keys, String name) {
        Key k = keys.get(name);
        if (k != null && k.name().equals("build")) return BUILD;
        if (k == null) return "unsupported key \"" + name + "\" (not a key of the Compose Specification: misspelt?)";
        return "unsupported key \"" + name + "\"" + (k.note().isEmpty() ? "" : ": " + k.note());
    }

    /**
     * The README's table: every key of each definition, honoured ones first, whether it is honoured, and how. The refused
     * keys that need no note share one row per definition.
     */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| Definition | Key | Support | Note |\n|---|---|---|---|\n");
        for (Map<String, Key> keys : List.of(TOP, SERVICE, NETWORK, VOLUME)) {
            List<String> plain = new java.util.ArrayList<>();
            String definition = keys.values().iterator().next().definition();
            for (Support support : Support.values()) {
                for (Key k : new TreeSet<>(keys.keySet()).stream().map(keys::get).filter(k -> k.support() == support).toList()) {
                    if (k.support() == Support.REFUSED && k.note().isEmpty()) {
                        plain.add("`" + k.name() + "`");
                        continue;
                    }
                    sb.append("| ").append(definition).append(" | `").append(k.name()).append("` | ").append(k.support().word)
                            .append(" |").append(k.note().isEmpty() ? "" : " " + k.note().replace("|", "\\|")).append(" |\n");
                }
            }
            if (!plain.isEmpty()) {
                sb.append("| ").append(definition).append(" | ").append(String.join(", ", plain)).append(" | refused | |\n");
            }
        }
        return sb.toString();
    }
}
