package dive.verify.sso;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dive.verify.report.Secrets;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The JDK's HTTP client with a deadline on every call, for the services'
 * JSON APIs. Answers are kept whole (status and body); failures to connect
 * become an answer with status 0 that says why, so a check can quote it.
 */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {}

    /** What a service answered. {@code json} is null when the body is not JSON. */
    record Answer(int status, String body, JsonNode json, String url) {
        String field(String name) {
            JsonNode n = json == null ? null : json.get(name);
            return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
        }

        /** One line for a finding: status and (redacted, shortened) body. */
        String describe() {
            String b = body == null ? "" : body.replaceAll("\\s+", " ");
            if (b.length() > 400) b = b.substring(0, 400) + "…";
            return "HTTP " + status + " " + Secrets.redact(b);
        }
    }

    static Answer get(String url, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return send(b.build());
    }

    static Answer postJson(String url, Object body, String bearer) {
        return withBody("POST", url, body, bearer);
    }

    static Answer putJson(String url, Object body) {
        return withBody("PUT", url, body, null);
    }

    private static Answer withBody(String method, String url, Object body, String bearer) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise the request body for " + url, e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return send(b.build());
    }

    private static Answer send(HttpRequest request) {
        String url = request.uri().toString();
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                if (r.body() != null && !r.body().isBlank()) json = JSON.readTree(r.body());
            } catch (IOException notJson) {
                // keep the text
            }
            return new Answer(r.statusCode(), r.body(), json, url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted", null, url);
        } catch (IOException e) {
            return new Answer(0, "no answer from " + url + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), null, url);
        }
    }
}
