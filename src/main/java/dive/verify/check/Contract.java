package dive.verify.check;

import java.util.List;

/** Facts of the DIVE hub/spoke contract that checks depend on (shared/dive-contract.md). */
public final class Contract {
    private Contract() {}

    /** The nine services of a spoke, in stage order. */
    public static final List<String> SPOKE_SERVICES = List.of(
            "postgres", "mongodb", "redis", "opa", "opal-client", "keycloak", "backend", "kas", "frontend");

    public static String realm(String codeLower) { return "dive-v3-broker-" + codeLower; }

    public static String mongoDatabase(String codeLower) { return "dive-v3-" + codeLower; }
}
