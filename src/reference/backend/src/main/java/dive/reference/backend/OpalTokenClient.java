package dive.reference.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

// HTTP/1.1 only: the JDK client otherwise offers an h2c upgrade, which uvicorn (OPAL) answers with 400/422.
/**
 * Asks the OPAL server for a token: {@code POST /token} with the master token and {@code {"type":"client"}} (an OPAL
 * client's token, handed to a spoke at approval) or {@code {"type":"datasource"}} (to publish data updates).
 */
public final class OpalTokenClient {
    public static final String DEPENDENCY = "OPAL";

    public record Token(String token, String expiresAt) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String serverUrl;
    private final String masterToken;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

    public OpalTokenClient(String serverUrl, String masterToken) {
        this.serverUrl = serverUrl;
        this.masterToken = masterToken;
    }

    public Token clientToken() throws DependencyException {
        return token("client");
    }

    public Token datasourceToken() throws DependencyException {
        return token("datasource");
    }

    private Token token(String type) throws DependencyException {
        if (serverUrl == null) {
            throw new DependencyException(DEPENDENCY, "OPAL_SERVER_URL not set");
        }
        if (masterToken == null) {
            throw new DependencyException(DEPENDENCY, "OPAL_AUTH_MASTER_TOKEN not set");
        }
        HttpResponse<byte[]> resp;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(serverUrl + "/token"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + masterToken)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("type", type))))
                    .build();
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyException(DEPENDENCY, "OPAL server call interrupted");
        } catch (Exception e) {
            throw new DependencyException(DEPENDENCY, "OPAL server unreachable at " + serverUrl + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        if (resp.statusCode() / 100 != 2) {
            throw new DependencyException(DEPENDENCY, "OPAL server answered HTTP " + resp.statusCode() + " to POST /token");
        }
        JsonNode body;
        try {
            body = JSON.readTree(resp.body());
        } catch (Exception e) {
            throw new DependencyException(DEPENDENCY, "OPAL server answered POST /token with invalid JSON");
        }
        JsonNode token = body == null ? null : body.get("token");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            throw new DependencyException(DEPENDENCY, "OPAL server answered POST /token without a token");
        }
        JsonNode expired = body.path("details").get("expired");
        return new Token(token.asText(), expired == null || expired.isNull() ? null : expired.asText());
    }
}
