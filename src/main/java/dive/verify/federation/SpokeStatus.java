package dive.verify.federation;

import dive.verify.deploy.Docker;
import dive.verify.instance.Instance;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The equivalent of {@code spoke status FRA}: registration state, token
 * expiry and last heartbeat as the hub records them, and the health of the
 * spoke's containers as Docker reports it. Read, never assumed.
 */
public record SpokeStatus(String instanceCode, String registration, String spokeId, String tokenExpiresAt,
                          String lastHeartbeat, Map<String, String> containers) {

    public static SpokeStatus read(Instance hub, Instance spoke) {
        String code = spoke.code().upper();
        String registration = "not registered", spokeId = null, expires = null, heartbeat = null;
        try {
            HubApi.Registration r = HubApi.of(hub).registration(code);
            if (r.httpStatus() == 200) {
                registration = r.status();
                spokeId = r.spokeId();
                expires = r.tokenExpiresAt();
                heartbeat = r.lastHeartbeat();
            } else if (r.httpStatus() == 0) {
                registration = "unknown (hub unreachable: " + r.answer().replaceFirst("^HTTP 0 ", "") + ")";
            } else if (r.httpStatus() != 404) {
                registration = "unknown (hub answered HTTP " + r.httpStatus() + ")";
            }
        } catch (RuntimeException e) {
            registration = "unknown (hub unreachable: " + e.getMessage() + ")";
        }
        Map<String, String> containers = new TreeMap<>();
        String prefix = "dive-spoke-" + spoke.code().lower() + "-";
        for (var c : Docker.client().listContainersCmd().withShowAll(true).withNameFilter(List.of(prefix)).exec()) {
            String name = c.getNames()[0].replaceFirst("^/", "");
            if (!name.startsWith(prefix)) continue;
            var state = Docker.client().inspectContainerCmd(c.getId()).exec().getState();
            String health = state.getHealth() == null ? "" : " (" + state.getHealth().getStatus() + ")";
            containers.put(name.substring(prefix.length()), state.getStatus() + health);
        }
        return new SpokeStatus(code, registration, spokeId, expires, heartbeat, containers);
    }

    public long healthyContainers() {
        return containers.values().stream().filter(v -> v.equals("running (healthy)")).count();
    }

    public String format() {
        StringBuilder sb = new StringBuilder("Spoke ").append(instanceCode).append('\n');
        sb.append("  registration   ").append(registration).append(spokeId == null ? "" : " (" + spokeId + ")").append('\n');
        sb.append("  token expires  ").append(tokenExpiresAt == null ? "-" : tokenExpiresAt).append('\n');
        sb.append("  last heartbeat ").append(lastHeartbeat == null ? "never" : lastHeartbeat).append('\n');
        sb.append("  containers     ").append(containers.isEmpty() ? "none" : "").append('\n');
        containers.forEach((k, v) -> sb.append(String.format("    %-12s %s%n", k, v)));
        return sb.toString();
    }
}
