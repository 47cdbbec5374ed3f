package dive.verify.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dive.verify.http.Http;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HubApiTest {
    private static JsonNode json(String s) throws Exception { return Http.JSON.readTree(s); }

    @Test
    void readsTheSpokesTheHubLists() throws Exception {
        var spokes = HubApi.spokes(json("[{\"instanceCode\":\"FRA\",\"status\":\"approved\",\"heartbeatCount\":4},"
                + "{\"instanceCode\":\"GBR\",\"status\":\"pending\"},{\"instanceCode\":\"FRA\",\"status\":\"revoked\",\"heartbeatCount\":null}]"));
        assertThat(spokes).containsExactly(new HubApi.Spoke("FRA", "approved", 4), new HubApi.Spoke("GBR", "pending", 0),
                new HubApi.Spoke("FRA", "revoked", 0));
        assertThat(HubApi.heartbeatCount(spokes, "FRA")).isEqualTo(4);
        assertThat(HubApi.heartbeatCount(spokes, "GBR")).isZero();
        assertThat(HubApi.heartbeatCount(spokes, "DEU")).as("a spoke the hub does not list").isZero();
        assertThat(HubApi.spokes(json("{\"spokes\":[]}"))).as("not a list").isEmpty();
    }

    @Test
    void readsARegistrationStatus() throws Exception {
        var r = HubApi.registration(new Http.Answer(200, "{}", json("{\"status\":\"approved\",\"spokeId\":\"spoke-fra-1\","
                + "\"tokenExpiresAt\":\"2026-02-01T00:00:00Z\",\"lastHeartbeat\":null}"), "u"));
        assertThat(r.known()).isTrue();
        assertThat(r).extracting(HubApi.Registration::status, HubApi.Registration::spokeId, HubApi.Registration::tokenExpiresAt,
                HubApi.Registration::lastHeartbeat).containsExactly("approved", "spoke-fra-1", "2026-02-01T00:00:00Z", null);
        var unknown = HubApi.registration(new Http.Answer(404, "{\"error\":\"not found\"}", json("{\"error\":\"not found\"}"), "u"));
        assertThat(unknown.known()).isFalse();
        assertThat(unknown.httpStatus()).isEqualTo(404);
        assertThat(unknown.status()).isNull();
        assertThat(unknown.answer()).isEqualTo("HTTP 404 {\"error\":\"not found\"}");
    }

    @Test
    void aHeartbeatIsRecordedOnlyWhenTheHubSaysWhen() {
        var none = new HubApi("http://127.0.0.1:1").heartbeatRecorded("FRA");
        assertThat(none.ok()).isFalse();
        assertThat(none.observed()).startsWith("HTTP 0 lastHeartbeat null");
        assertThat(List.of(none.what())).containsExactly("lastHeartbeat of FRA at the hub");
    }
}
