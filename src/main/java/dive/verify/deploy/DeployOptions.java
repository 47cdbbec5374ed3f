package dive.verify.deploy;

import java.util.Set;

/**
 * @param onlyServices deploy just these services (null = all); the others are not expected to exist
 * @param failFast     stop at the first failed stage (true) — later stages depend on earlier ones
 */
public record DeployOptions(Set<String> onlyServices, boolean failFast) {
    public static DeployOptions all() { return new DeployOptions(null, true); }

    public static DeployOptions only(Set<String> services) { return new DeployOptions(services, true); }
}
