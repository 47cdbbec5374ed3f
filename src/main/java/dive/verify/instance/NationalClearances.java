package dive.verify.instance;

import java.util.List;
import java.util.Map;

/**
 * The clearance labels a nation's IdP issues for its five test users (the
 * contractor holds the label of user 3)
 * (contract: spokes may hold national labels, normalised to the NATO scale
 * by policy). Unknown nations use the NATO labels.
 */
public final class NationalClearances {
    private static final List<String> NATO = List.of("UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "SECRET", "TOP_SECRET");
    private static final Map<String, List<String>> NATIONAL = Map.of(
            "FRA", List.of("NON CLASSIFIÉ", "CONFIDENTIEL DÉFENSE", "SECRET DÉFENSE", "SECRET DÉFENSE", "TRÈS SECRET DÉFENSE"),
            "GBR", List.of("OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "SECRET", "TOP SECRET"));

    private NationalClearances() {}

    /** Labels of test users 1..5. */
    public static List<String> forInstance(InstanceCode code) {
        return NATIONAL.getOrDefault(code.upper(), NATO);
    }
}
