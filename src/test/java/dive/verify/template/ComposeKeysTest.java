package dive.verify.template;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The list of keys covers the Compose Specification exactly, and the README's table is the list's.
 */
class ComposeKeysTest {

    /*
     * The property names of the Compose Specification's schema (schema/compose-spec.json of
     * github.com/compose-spec/compose-spec, Apache-2.0, at commit 170098ba07d9f53c383a41bfd4c5166b0a4529a6): the top level,
     * and the definitions "service", "network" and "volume". A key added to the specification later shows up here as a
     * failure once this list is brought up to date, and must then be classified in ComposeKeys.
     */
    static final List<String> SPEC_TOP = List.of(
            "configs", "include", "models", "name", "networks", "secrets", "services", "version", "volumes");
    static final List<String> SPEC_SERVICE = List.of(
            "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command",
            "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
            "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
            "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint", "env_file",
            "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck", "hostname",
            "image", "init", "ipc", "isolation", "label_file", "labels", "links", "logging", "mac_address", "mem_limit",
            "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode", "networks", "oom_kill_disable",
            "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop", "privileged", "profiles",
            "provider", "pull_policy", "pull_refresh_after", "read_only", "restart", "runtime", "scale", "secrets",
            "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs",
            "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir");
    static final List<String> SPEC_NETWORK = List.of(
            "attachable", "driver", "driver_opts", "enable_ipv4", "enable_ipv6", "external", "internal", "ipam", "labels", "name");
    static final List<String> SPEC_VOLUME = List.of("driver", "driver_opts", "external", "labels", "name");

    @Test
    void everyKeyOfTheSpecificationIsClassifiedAndNoOther() {
        assertThat(new TreeSet<>(ComposeKeys.topLevel().keySet())).containsExactlyElementsOf(SPEC_TOP);
        assertThat(new TreeSet<>(ComposeKeys.service().keySet())).containsExactlyElementsOf(SPEC_SERVICE);
        assertThat(new TreeSet<>(ComposeKeys.network().keySet())).containsExactlyElementsOf(SPEC_NETWORK);
        assertThat(new TreeSet<>(ComposeKeys.volume().keySet())).containsExactlyElementsOf(SPEC_VOLUME);
    }

    @Test
    void aPartlyHonouredKeySaysWhichPart() {
        for (Map<String, ComposeKeys.Key> keys : List.of(ComposeKeys.topLevel(), ComposeKeys.service(), ComposeKeys.network(),
                ComposeKeys.volume())) {
            for (ComposeKeys.Key k : keys.values()) {
                if (k.support() == ComposeKeys.Support.PARTIAL) assertThat(k.note()).as(k.name()).isNotBlank();
            }
        }
    }

    @Test
    void theNewlyHonouredKeysAreHonoured() {
        for (String k : List.of("depends_on", "restart", "extra_hosts", "init", "cap_add", "cap_drop", "deploy", "mem_limit", "cpus",
                "profiles", "environment")) {
            assertThat(ComposeKeys.service().get(k).support()).as(k).isNotEqualTo(ComposeKeys.Support.REFUSED);
        }
        assertThat(ComposeKeys.service().get("build").support()).isEqualTo(ComposeKeys.Support.REFUSED);
        assertThat(List.of(ComposeKeys.network().get("labels").support(), ComposeKeys.volume().get("labels").support(),
                ComposeKeys.network().get("external").support(), ComposeKeys.volume().get("external").support()))
                .containsOnly(ComposeKeys.Support.HONOURED);
    }

    @Test
    void theReadmesTableIsTheListOfKeys() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("## Compose keys: honoured or refused");
        assertThat(readme).as("README.md's table, as ComposeKeys.markdownTable() makes it").contains(ComposeKeys.markdownTable());
    }
}
