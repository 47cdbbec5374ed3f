package dive.verify.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dive.verify.check.DeploymentChecks;
import dive.verify.http.Http;
import dive.verify.instance.Instance;
import dive.verify.probe.Evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hub backend's federation API ({@code /api/federation/...}), read into
 * typed answers: the steps and the status command compare values, they do
 * not read the hub's JSON themselves.
 */
public final class HubApi {
    private final String baseUrl;

    public HubApi(String baseUrl) { this.baseUrl = baseUrl; }

    public static HubApi of(Instance hub) { return new HubApi(url(hub)); }

    /** The hub backend's address on this host. */
    public static String url(Instance hub) {
        return "http://" + DeploymentChecks.HOST + ":" + hub.port("backend");
    }

    public String baseUrl() { return baseUrl; }

    /** One spoke as the hub lists it. */
    public record Spoke(String instanceCode, String status, long heartbeatCount) {}

    /** A spoke's registration as the hub reports it; {@code httpStatus} 404: the hub does not know the spoke. */
    public record Registration(int httpStatus, String status, String spokeId, String tokenExpiresAt, String lastHeartbeat, String answer) {
        public boolean known() { return httpStatus == 200; }
    }

    // ------------------------------------------------------------------ calls

    /** {@code POST /api/federation/register}: the answer as it is (the faults features read its status and text). */
    public Http.Answer register(Map<String, Object> request) {
        return Http.postJson(baseUrl + "/api/federation/register", request, null);
    }

    /** {@code POST /api/federation/heartbeat} for a spoke, with a bearer token (the spoke's, or a forged one). */
    public Http.Answer heartbeat(String instanceCode, String bearer) {
        return Http.postJson(baseUrl + "/api/federation/heartbeat", Map.of("instanceCode", instanceCode), bearer);
    }

    /** {@code GET /api/federation/spokes}; an answer that is not 200 with a list is an error, quoted. */
    public List<Spoke> spokes() {
        Http.Answer r = Http.get(baseUrl + "/api/federation/spokes", null);
        if (r.status() != 200 || r.json() == null || !r.json().isArray()) {
            throw new AssertionError("GET /api/federation/spokes at the hub: " + r.describe());
        }
        return spokes(r.json());
    }

    /** The heartbeats the hub recorded for a spoke (0 when it does not list the spoke). */
    public long heartbeatCount(String instanceCode) {
        return heartbeatCount(spokes(), instanceCode);
    }

    /** {@code GET /api/federation/registration/<code>/status}. */
    public Registration registration(String instanceCode) {
        return registration(Http.get(baseUrl + "/api/federation/registration/" + instanceCode + "/status", null));
    }

    /** The hub has recorded a heartbeat of the spoke: the evidence quotes the status answer. */
    public Evidence heartbeatRecorded(String instanceCode) {
        Registration st = registration(instanceCode);
        return new Evidence(st.lastHeartbeat() != null, "lastHeartbeat of " + instanceCode + " at the hub",
                "HTTP " + st.httpStatus() + " lastHeartbeat " + st.lastHeartbeat());
    }

    // ------------------------------------------------------------------ reading the answers (pure)

    static List<Spoke> spokes(JsonNode array) {
        List<Spoke> out = new ArrayList<>();
        if (array == null || !array.isArray()) return out;
        for (JsonNode s : array) {
            JsonNode hb = s.get("heartbeatCount");
            out.add(new Spoke(text(s.get("instanceCode")), text(s.get("status")), hb == null || !hb.isNumber() ? 0 : hb.asLong()));
        }
        return out;
    }

    static long heartbeatCount(List<Spoke> spokes, String instanceCode) {
        return spokes.stream().filter(s -> instanceCode.equals(s.instanceCode())).mapToLong(Spoke::heartbeatCount).sum();
    }

    static Registration registration(Http.Answer r) {
        if (r.status() != 200) return new Registration(r.status(), null, null, null, null, r.describe());
        return new Registration(200, r.field("status"), r.field("spokeId"), r.field("tokenExpiresAt"), r.field("lastHeartbeat"), r.describe());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
