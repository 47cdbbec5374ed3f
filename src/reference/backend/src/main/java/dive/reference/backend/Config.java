package dive.reference.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Everything the backend reads from its environment (see README.md for the list). */
public record Config(
        int port,
        String instanceCode,
        String mode,
        String mongoUrl,
        String mongoDatabase,
        String opaUrl,
        String databaseUrl,
        String opalAuthMasterToken,
        String spokeToken,
        String keycloakIssuer,
        String keycloakJwksUrl,
        int tokenClockSkewSeconds,
        String kasMasterKey,
        long mongoRetryBaseMs,
        long mongoConnectInitialMs,
        int mongoServerSelectionTimeoutMs,
        FederationConfig federation,
        List<String> notes) {

    public static final String MODE_SPOKE = "spoke";
    public static final String MODE_HUB = "hub";

    public boolean hub() {
        return MODE_HUB.equals(mode);
    }

    public static Config from(Map<String, String> env) {
        List<String> notes = new ArrayList<>();
        String code = blankToNull(env.get("INSTANCE_CODE"));
        if (code == null) {
            code = "USA";
            notes.add("INSTANCE_CODE not set - defaulting to USA");
        }
        code = code.toUpperCase(Locale.ROOT);
        String mode = blankToNull(env.get("DIVE_MODE"));
        if (mode == null) {
            mode = MODE_SPOKE;
        }
        mode = mode.toLowerCase(Locale.ROOT);
        if (!mode.equals(MODE_SPOKE) && !mode.equals(MODE_HUB)) {
            notes.add("DIVE_MODE '" + mode + "' is neither spoke nor hub - using spoke");
            mode = MODE_SPOKE;
        }
        String mongoUrl = orDefault(env.get("MONGODB_URL"), "mongodb://localhost:27017");
        String mongoDb = orDefault(env.get("MONGODB_DATABASE"), "dive-v3-" + code.toLowerCase(Locale.ROOT));
        String opa = orDefault(env.get("OPA_URL"), "http://localhost:8181");
        while (opa.endsWith("/")) {
            opa = opa.substring(0, opa.length() - 1);
        }
        String issuer = blankToNull(env.get("KEYCLOAK_ISSUER"));
        String jwks = blankToNull(env.get("KEYCLOAK_JWKS_URL"));
        if (jwks == null && issuer != null) {
            jwks = issuer + "/protocol/openid-connect/certs";
        }
        int skew = intEnv(env, "TOKEN_CLOCK_SKEW_SECONDS", 2);
        if (skew < 0) {
            throw new IllegalArgumentException("TOKEN_CLOCK_SKEW_SECONDS must not be negative");
        }
        return new Config(
                intEnv(env, "PORT", 4000),
                code,
                mode,
                mongoUrl,
                mongoDb,
                opa,
                blankToNull(env.get("DATABASE_URL")),
                blankToNull(env.get("OPAL_AUTH_MASTER_TOKEN")),
                blankToNull(env.get("SPOKE_TOKEN")),
                issuer,
                jwks,
                skew,
                blankToNull(env.get("KAS_MASTER_KEY")),
                intEnv(env, "MONGO_RETRY_BASE_MS", 2000),
                intEnv(env, "MONGO_CONNECT_INITIAL_MS", 1000),
                intEnv(env, "MONGO_SERVER_SELECTION_TIMEOUT_MS", 3000),
                FederationConfig.from(env, code),
                List.copyOf(notes));
    }

    /**
     * The startup warnings the contract names, in the real backend's words. They are warnings: the backend keeps
     * running without these settings.
     */
    public void reportMissingSettings(Events events) {
        for (String n : notes) {
            events.warn(n);
        }
        if (opalAuthMasterToken == null) {
            events.warn(Messages.OPAL_TOKEN_MISSING);
        }
        if (databaseUrl == null) {
            events.warn(Messages.DATABASE_URL_MISSING);
        }
        if (!hub() && spokeToken == null) {
            events.warn(Messages.SPOKE_TOKEN_MISSING);
        }
        if (keycloakIssuer == null) {
            events.warn("KEYCLOAK_ISSUER not set - every bearer token will be rejected");
        }
    }

    private static int intEnv(Map<String, String> env, String name, int def) {
        String v = blankToNull(env.get(name));
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
    }

    private static String orDefault(String v, String def) {
        String b = blankToNull(v);
        return b == null ? def : b;
    }

    static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** No secret in here: for logging. */
    @Override
    public String toString() {
        return "Config{port=" + port + ", instance=" + instanceCode + ", mode=" + mode + ", mongo=" + Redact.url(mongoUrl)
                + ", db=" + mongoDatabase + ", opa=" + opaUrl + ", postgres="
                + (databaseUrl == null ? "none" : Redact.url(databaseUrl)) + ", issuer=" + keycloakIssuer + ", jwks="
                + keycloakJwksUrl + ", clockSkew=" + tokenClockSkewSeconds + "s, kasMasterKey="
                + (kasMasterKey == null ? "missing" : "set") + ", opalToken=" + (opalAuthMasterToken == null ? "missing" : "set")
                + ", spokeToken=" + (spokeToken == null ? "missing" : "set") + ", " + federation + "}";
    }
}
