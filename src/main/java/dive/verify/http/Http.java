package dive.verify.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dive.verify.report.Secrets;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one HTTP client of the harness (the OIDC browser simulation builds its
 * own from {@link #clientBuilder()}, adding cookies): the JDK's, HTTP/1.1, redirects never followed, a
 * connect timeout and a deadline on every call. Answers are kept whole
 * (status, body and the body parsed as JSON when it is JSON); a call that gets
 * no answer (refused, timed out, interrupted) becomes an answer with status 0
 * whose body says why, so a check can quote it instead of throwing.
 */
public final class Http {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = clientBuilder().build();

    private Http() {}

    /** The settings of every client of the harness: HTTP/1.1, the connect timeout, redirects never followed (a check sees each hop). */
    public static HttpClient.Builder clientBuilder() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
    }

    /** What a service answered. {@code json} is null when the body is not JSON; status 0: no answer, the body says why. */
    public record Answer(int status, String body, JsonNode json, String url) {
        /** A service answered at all (status 0 means the call got no answer). */
        public boolean answered() { return status != 0; }

        /** A 2xx answer. */
        public boolean ok() { return status / 100 == 2; }

        /** A top-level field of a JSON object as text (objects and arrays as JSON), or null. */
        public String field(String name) {
            JsonNode n = json == null ? null : json.get(name);
            return text(n);
        }

        /**
         * A field by a dotted path ({@code spoke.spokeId}) as text, or null when
         * the body is not JSON or has no such field.
         */
        public String text(String dottedPath) {
            return text(node(dottedPath));
        }

        /** The node at a dotted path, or null. */
        public JsonNode node(String dottedPath) {
            if (json == null) return null;
            JsonNode n = json.at("/" + dottedPath.replace('.', '/'));
            return n.isMissingNode() ? null : n;
        }

        /** The body as a JSON array of objects; an empty list when it is no array. */
        public List<Map<String, Object>> objects() {
            if (json == null || !json.isArray()) return List.of();
            return JSON.convertValue(json, new TypeReference<List<Map<String, Object>>>() {});
        }

        /** The body as a JSON object; null when it is no object. */
        public Map<String, Object> object() {
            if (json == null || !json.isObject()) return null;
            return JSON.convertValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        }

        /** One field of every element of a JSON array (at a dotted path, e.g. {@code result}), as text. */
        public List<String> each(String arrayPath, String field) {
            JsonNode arr = arrayPath == null || arrayPath.isEmpty() ? json : node(arrayPath);
            if (arr == null || !arr.isArray()) return null;
            List<String> out = new ArrayList<>();
            arr.forEach(e -> out.add(text(e.get(field))));
            return out;
        }

        /** One line for a finding: status and (redacted, shortened) body. */
        public String describe() {
            String b = body == null ? "" : body.replaceAll("\\s+", " ");
            if (b.length() > 400) b = b.substring(0, 400) + "…";
            return "HTTP " + status + " " + Secrets.redact(b);
        }

        private static String text(JsonNode n) {
            return n == null || n.isNull() || n.isMissingNode() ? null : n.isValueNode() ? n.asText() : n.toString();
        }
    }

    // ------------------------------------------------------------------ the common calls

    public static Answer get(String url, String bearer) {
        return call("GET", url).bearer(bearer).send();
    }

    public static Answer postJson(String url, Object body, String bearer) {
        return call("POST", url).bearer(bearer).json(body).send();
    }

    public static Answer putJson(String url, Object body) {
        return call("PUT", url).json(body).send();
    }

    /** A request to build: method and URL, then a bearer token, a body, headers or another deadline. */
    public static Call call(String method, String url) {
        return new Call(method, url);
    }

    public static final class Call {
        private final String method;
        private final String url;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, Object> query = new LinkedHashMap<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        private Duration timeout = REQUEST_TIMEOUT;

        private Call(String method, String url) {
            this.method = method;
            this.url = url;
        }

        /** {@code Authorization: Bearer token}; nothing when null. */
        public Call bearer(String token) {
            if (token != null) headers.put("Authorization", "Bearer " + token);
            return this;
        }

        public Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Call query(String name, Object value) {
            query.put(name, value);
            return this;
        }

        /** The deadline of the whole call (the connect timeout stays {@link #CONNECT_TIMEOUT}). */
        public Call timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        /** A JSON body, serialised with Jackson. */
        public Call json(Object value) {
            byte[] bytes;
            try {
                bytes = JSON.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot serialise the request body for " + url, e);
            }
            headers.put("Content-Type", "application/json");
            body = HttpRequest.BodyPublishers.ofByteArray(bytes);
            return this;
        }

        /** A form body ({@code application/x-www-form-urlencoded}). */
        public Call form(Map<String, String> fields) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            body = HttpRequest.BodyPublishers.ofString(formBody(fields));
            return this;
        }

        /** A plain-text body. */
        public Call text(String value) {
            headers.put("Content-Type", "text/plain; charset=UTF-8");
            body = HttpRequest.BodyPublishers.ofString(value, StandardCharsets.UTF_8);
            return this;
        }

        public Answer send() {
            String target = query.isEmpty() ? url : url + (url.contains("?") ? "&" : "?")
                    + formBody(query.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()),
                    (a, b) -> b, LinkedHashMap::new)));
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(URI.create(target));
            } catch (IllegalArgumentException e) {
                return new Answer(0, "no answer from " + target + ": not a URL (" + e.getMessage() + ")", null, target);
            }
            b.timeout(timeout).method(method, body);
            headers.forEach(b::header);
            return Http.send(b.build());
        }
    }

    /** Fields as {@code application/x-www-form-urlencoded} (a query string too); fields whose value is null are left out. */
    public static String formBody(Map<String, String> fields) {
        return fields.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Answer send(HttpRequest request) {
        String url = request.uri().toString();
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), parse(r.body()), url);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "no answer from " + url + ": interrupted", null, url);
        } catch (IOException e) {
            return new Answer(0, "no answer from " + url + ": " + reason(e, request.uri()), null, url);
        }
    }

    /** The body as JSON, or null when it is empty or not JSON. */
    static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException notJson) {
            return null; // keep the text
        }
    }

    /**
     * Why a call got no answer: the exception's type and the messages of it and
     * its causes. The JDK's client often says nothing at all (a refused
     * connection is a ConnectException without message, caused by a
     * ClosedChannelException); then the cause is named from the types.
     */
    static String reason(Throwable e, URI target) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
        boolean said = false, unresolved = false, connect = false;
        Throwable t = e;
        String last = null;
        while (t != null) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && !m.equals(last)) {
                sb.append(said ? " ← " : " ").append(m);
                said = true;
                last = m;
            }
            unresolved |= t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException;
            connect |= t instanceof java.net.ConnectException;
            t = t.getCause() == t ? null : t.getCause();
        }
        if (!said && target != null) {
            String where = target.getHost() + (target.getPort() < 0 ? "" : ":" + target.getPort());
            if (unresolved) sb.append(": cannot resolve host ").append(target.getHost());
            else if (connect) sb.append(": Connection refused (nothing listens at ").append(where).append(", or there is no route to it)");
        }
        return Secrets.redact(sb.toString());
    }
}
