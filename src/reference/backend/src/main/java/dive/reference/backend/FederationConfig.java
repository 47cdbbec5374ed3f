package dive.reference.backend;

import java.util.Locale;
import java.util.Map;

/**
 * Federation settings: the hub's registration/approval side (Keycloak admin, OPAL server, spoke tokens) and the
 * spoke's heartbeat side. Secrets (admin token, Keycloak admin password, spoke token) are never in toString().
 */
public record FederationConfig(
        boolean autoApprove,
        String adminToken,
        String keycloakAdminUrl,
        String keycloakAdminRealm,
        String keycloakAdminUser,
        String keycloakAdminPassword,
        String hubRealm,
        String opalServerUrl,
        long spokeTokenTtlSeconds,
        String hubApiUrl,
        int heartbeatIntervalSeconds,
        String trustedIssuersUrl) {

    public static FederationConfig from(Map<String, String> env, String instanceCode) {
        String auto = Config.blankToNull(env.get("AUTO_APPROVE"));
        boolean autoApprove = auto == null || auto.equalsIgnoreCase("true") || auto.equals("1")
                || auto.equalsIgnoreCase("yes");
        long ttl = longEnv(env, "SPOKE_TOKEN_TTL_SECONDS", 86_400);
        if (ttl <= 0) {
            throw new IllegalArgumentException("SPOKE_TOKEN_TTL_SECONDS must be positive");
        }
        int interval = (int) longEnv(env, "HEARTBEAT_INTERVAL_SECONDS", 30);
        if (interval <= 0) {
            throw new IllegalArgumentException("HEARTBEAT_INTERVAL_SECONDS must be positive");
        }
        return new FederationConfig(
                autoApprove,
                Config.blankToNull(env.get("FEDERATION_ADMIN_TOKEN")),
                trimSlash(Config.blankToNull(env.get("KEYCLOAK_ADMIN_URL"))),
                orDefault(env.get("KEYCLOAK_ADMIN_REALM"), "master"),
                orDefault(env.get("KEYCLOAK_ADMIN_USER"), "admin"),
                Config.blankToNull(env.get("KEYCLOAK_ADMIN_PASSWORD")),
                orDefault(env.get("HUB_REALM"), "dive-v3-broker-" + instanceCode.toLowerCase(Locale.ROOT)),
                trimSlash(Config.blankToNull(env.get("OPAL_SERVER_URL"))),
                ttl,
                trimSlash(Config.blankToNull(env.get("HUB_API_URL"))),
                interval,
                orDefault(env.get("TRUSTED_ISSUERS_URL"), "http://backend-" + instanceCode.toLowerCase(Locale.ROOT)
                        + ":4000/api/federation/trusted-issuers"));
    }

    /** Warnings about federation settings (separate from the contract's startup lines). */
    public void report(boolean hub, String spokeToken, Events events) {
        if (hub) {
            if (keycloakAdminUrl == null || keycloakAdminPassword == null) {
                events.warn("KEYCLOAK_ADMIN_URL/KEYCLOAK_ADMIN_PASSWORD not set - spoke approval cannot create identity providers");
            }
            if (opalServerUrl == null) {
                events.warn("OPAL_SERVER_URL not set - spoke approval cannot issue OPAL client tokens");
            }
            if (adminToken == null) {
                events.warn("FEDERATION_ADMIN_TOKEN not set - manual spoke approval is disabled");
            }
        } else if (spokeToken != null && hubApiUrl == null) {
            events.warn("HUB_API_URL not set - heartbeats to the hub are disabled");
        }
    }

    private static long longEnv(Map<String, String> env, String name, long def) {
        String v = Config.blankToNull(env.get(name));
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer");
        }
    }

    private static String orDefault(String v, String def) {
        String b = Config.blankToNull(v);
        return b == null ? def : b;
    }

    static String trimSlash(String v) {
        if (v == null) {
            return null;
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        return v;
    }

    @Override
    public String toString() {
        return "Federation{autoApprove=" + autoApprove + ", keycloakAdmin=" + keycloakAdminUrl + ", hubRealm=" + hubRealm
                + ", opalServer=" + opalServerUrl + ", tokenTtl=" + spokeTokenTtlSeconds + "s, hubApi=" + hubApiUrl
                + ", heartbeat=" + heartbeatIntervalSeconds + "s, trustedIssuersUrl=" + trustedIssuersUrl + ", adminToken=" + (adminToken == null ? "missing" : "set")
                + ", keycloakAdminPassword=" + (keycloakAdminPassword == null ? "missing" : "set") + "}";
    }
}
