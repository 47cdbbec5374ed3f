package dive.verify.template;

import java.util.List;

/**
 * The settings of a service that go into the engine's HostConfig as they are:
 * {@code extra_hosts} (engine form {@code HOST:IP}), {@code init},
 * {@code cap_add}/{@code cap_drop} (capability names without {@code CAP_}),
 * the memory limit in bytes and the CPU limit in billionths of a CPU
 * ({@code mem_limit}/{@code cpus}, or {@code deploy.resources.limits}).
 * A null or empty value leaves the engine's default.
 */
public record HostSettings(List<String> extraHosts, Boolean init, List<String> capAdd, List<String> capDrop,
                           Long memoryBytes, Long nanoCpus) {

    /** Nothing set: the engine's defaults. */
    public static final HostSettings NONE = new HostSettings(List.of(), null, List.of(), List.of(), null, null);

    public HostSettings {
        extraHosts = List.copyOf(extraHosts);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
    }

    public boolean isDefault() { return equals(NONE); }
}
