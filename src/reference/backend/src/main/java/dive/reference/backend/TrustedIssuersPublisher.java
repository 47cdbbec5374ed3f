package dive.reference.backend;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Hub mode: makes the trusted issuers known to the policy engines. (a) {@code PUT {OPA_URL}/v1/data/federation/trusted_issuers}
 * with the JSON array, retried with backoff while OPA does not answer; (b) an OPAL data update: a datasource token from
 * {@code POST {OPAL_SERVER_URL}/token}, then {@code POST {OPAL_SERVER_URL}/data/config} with one entry telling the OPAL
 * clients to fetch {@code TRUSTED_ISSUERS_URL} into {@code /federation/trusted_issuers} (topic {@code policy_data}).
 * Never throws: each failure is one warn line, without any token.
 */
final class TrustedIssuersPublisher {
    static final String OPA_PATH = "/v1/data/federation/trusted_issuers";
    static final String DST_PATH = "/federation/trusted_issuers";
    static final String TOPIC = "policy_data";
    /** Delays between the attempts to reach OPA: 5 attempts within 7.5 s. */
    static final List<Long> OPA_DELAYS_MS = List.of(500L, 1000L, 2000L, 4000L);

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String opaUrl;
    private final String opalServerUrl;
    private final OpalTokenClient opal;
    private final String trustedIssuersUrl;
    private final Events events;
    private final Retry.Sleeper sleeper;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    TrustedIssuersPublisher(String opaUrl, String opalServerUrl, String opalMasterToken, String trustedIssuersUrl,
                            Events events, Retry.Sleeper sleeper) {
        this.opaUrl = opaUrl;
        this.opalServerUrl = opalServerUrl;
        this.opal = new OpalTokenClient(opalServerUrl, opalMasterToken);
        this.trustedIssuersUrl = trustedIssuersUrl;
        this.events = events;
        this.sleeper = sleeper;
    }

    /** Both publications; {@code reason} goes into the OPAL update (e.g. "spoke FRA approved"). */
    void publish(List<String> issuers, String reason) {
        putToOpa(issuers);
        publishToOpal(reason);
    }

    /** (a) Returns whether OPA took the list. */
    boolean putToOpa(List<String> issuers) {
        int attempts = OPA_DELAYS_MS.size() + 1;
        try {
            byte[] body = JSON.writeValueAsBytes(issuers);
            Retry.run(OPA_DELAYS_MS, e -> !(e instanceof InterruptedException), () -> {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(opaUrl + OPA_PATH))
                        .timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 != 2) {
                    throw new IllegalStateException("OPA answered HTTP " + r.statusCode() + " to PUT " + OPA_PATH);
                }
                return null;
            }, (attempt, delay, e) -> { }, sleeper);
            events.info("Trusted issuers published to OPA: " + issuers.size() + " issuer(s) at " + OPA_PATH);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            events.warn("Publishing trusted issuers to OPA interrupted");
            return false;
        } catch (Exception e) {
            events.warn("Publishing trusted issuers to OPA failed after " + attempts + " attempts: " + cause(e));
            return false;
        }
    }

    /** (b) Returns whether the OPAL server accepted the data update. */
    boolean publishToOpal(String reason) {
        try {
            OpalTokenClient.Token token = opal.datasourceToken();
            Map<String, Object> entry = Map.of("url", trustedIssuersUrl, "topics", List.of(TOPIC), "dst_path", DST_PATH);
            Map<String, Object> update = Map.of("entries", List.of(entry), "reason", reason);
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(opalServerUrl + "/data/config"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token.token())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(update))).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 != 2) {
                events.warn("Publishing trusted issuers to OPAL failed: OPAL server answered HTTP " + r.statusCode()
                        + " to POST /data/config");
                return false;
            }
            events.info("Trusted issuers update published to OPAL (topic " + TOPIC + ", " + trustedIssuersUrl + " -> "
                    + DST_PATH + "): " + reason);
            return true;
        } catch (DependencyException e) {
            events.warn("Publishing trusted issuers to OPAL failed: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            events.warn("Publishing trusted issuers to OPAL interrupted");
            return false;
        } catch (Exception e) {
            events.warn("Publishing trusted issuers to OPAL failed: " + cause(e));
            return false;
        }
    }

    private static String cause(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                + MongoStore.oneLine(e);
    }
}
