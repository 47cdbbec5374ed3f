package dive.verify.http;

import com.sun.net.httpserver.HttpServer;
import dive.verify.report.Secrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class HttpTest {
    private HttpServer server;
    private String base;
    /** What the server saw of the last request: method, target, headers, body. */
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.put("method", ex.getRequestMethod());
            seen.put("target", ex.getRequestURI().toString());
            seen.put("authorization", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            seen.put("content-type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String path = ex.getRequestURI().getPath();
            int status = 200;
            String body;
            switch (path) {
                case "/json" -> body = "{\"spoke\":{\"spokeId\":\"spoke-fra-1\",\"n\":3},\"token\":null,\"result\":[{\"id\":\"a.rego\"},{\"id\":\"b.rego\"}]}";
                case "/list" -> body = "[{\"name\":\"x\",\"id\":1},{\"name\":\"y\",\"id\":2}]";
                case "/text" -> { status = 404; body = "no such thing"; }
                case "/redirect" -> { ex.getResponseHeaders().add("Location", "/json"); status = 302; body = ""; }
                case "/slow" -> {
                    try { Thread.sleep(3000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                    body = "late";
                }
                default -> body = "";
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            if (b.length > 0) ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        Secrets.clear();
    }

    @Test
    void keepsStatusBodyAndParsedJson() {
        Http.Answer a = Http.get(base + "/json", null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.answered()).isTrue();
        assertThat(a.ok()).isTrue();
        assertThat(a.text("spoke.spokeId")).isEqualTo("spoke-fra-1");
        assertThat(a.text("spoke.n")).isEqualTo("3");
        assertThat(a.field("spoke")).isEqualTo("{\"spokeId\":\"spoke-fra-1\",\"n\":3}");
        assertThat(a.text("token")).as("a JSON null").isNull();
        assertThat(a.text("token.token")).as("below a null").isNull();
        assertThat(a.text("nothing.here")).isNull();
        assertThat(a.each("result", "id")).containsExactly("a.rego", "b.rego");
        assertThat(a.each("spoke", "id")).as("not an array").isNull();
        assertThat(a.object()).containsKeys("spoke", "token", "result");
        assertThat(a.objects()).as("not an array").isEmpty();
        assertThat(a.url()).isEqualTo(base + "/json");
    }

    @Test
    void readsAnArrayOfObjects() {
        Http.Answer a = Http.get(base + "/list", null);
        assertThat(a.each("", "name")).containsExactly("x", "y");
        assertThat(a.objects()).extracting(m -> m.get("id")).containsExactly(1, 2);
        assertThat(a.object()).as("not an object").isNull();
    }

    @Test
    void aBodyThatIsNotJsonIsKeptAsText() {
        Http.Answer a = Http.get(base + "/text", null);
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.ok()).isFalse();
        assertThat(a.json()).isNull();
        assertThat(a.field("x")).isNull();
        assertThat(a.describe()).isEqualTo("HTTP 404 no such thing");
    }

    @Test
    void sendsTheBearerTokenAJsonBodyAndNothingWhenThereIsNoToken() {
        Http.postJson(base + "/echo", Map.of("type", "client"), "tok-123456");
        assertThat(seen).containsEntry("method", "POST").containsEntry("authorization", "Bearer tok-123456")
                .containsEntry("content-type", "application/json").containsEntry("body", "{\"type\":\"client\"}");
        Http.putJson(base + "/echo", List.of("a"));
        assertThat(seen).containsEntry("method", "PUT").containsEntry("authorization", "null").containsEntry("body", "[\"a\"]");
    }

    @Test
    void encodesFormsAndQueryParameters() {
        Http.call("POST", base + "/form").form(Map.of("password", "p&ss=word")).query("idpAlias", "fra idp").query("max", 1000).send();
        assertThat(seen.get("target")).isEqualTo("/form?idpAlias=fra+idp&max=1000");
        assertThat(seen.get("content-type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(seen.get("body")).isEqualTo("password=p%26ss%3Dword");
        Http.call("PUT", base + "/p").text("package x").send();
        assertThat(seen).containsEntry("method", "PUT").containsEntry("body", "package x");
        assertThat(seen.get("content-type")).startsWith("text/plain");
        Http.call("DELETE", base + "/d").send();
        assertThat(seen).containsEntry("method", "DELETE");
    }

    @Test
    void doesNotFollowRedirects() {
        assertThat(Http.get(base + "/redirect", null).status()).isEqualTo(302);
    }

    @Test
    void aRefusedConnectionIsStatusZeroSayingWhy() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Http.Answer a = Http.get("http://127.0.0.1:" + closed + "/x", null);
        assertThat(a.status()).isZero();
        assertThat(a.answered()).isFalse();
        assertThat(a.json()).isNull();
        assertThat(a.body()).startsWith("no answer from http://127.0.0.1:" + closed + "/x: ConnectException").contains("Connection refused");
    }

    @Test
    void aCallPastItsDeadlineIsStatusZeroSayingSo() {
        Http.Answer a = Http.call("GET", base + "/slow").timeout(Duration.ofMillis(300)).send();
        assertThat(a.status()).isZero();
        assertThat(a.body()).contains("HttpTimeoutException");
    }

    @Test
    void theReasonForNoAnswerIsRedacted() {
        Secrets.register("s3cret-value");
        java.net.URI u = java.net.URI.create("http://localhost:8443/x");
        assertThat(Http.reason(new IOException("outer", new IOException("token s3cret-value rejected")), u))
                .isEqualTo("IOException outer ← token *** rejected");
        assertThat(Http.reason(new IOException((String) null), u)).isEqualTo("IOException");
        assertThat(Http.reason(new java.net.ConnectException(null), u))
                .isEqualTo("ConnectException: Connection refused (nothing listens at localhost:8443, or there is no route to it)");
        assertThat(Http.reason(new java.net.ConnectException(null).initCause(new java.nio.channels.UnresolvedAddressException()), u))
                .isEqualTo("ConnectException: cannot resolve host localhost");
    }

    @Test
    void describeShortensAndRedactsTheBody() {
        Secrets.register("s3cret-value");
        var a = new Http.Answer(500, "x".repeat(500) + " s3cret-value", null, "u");
        assertThat(a.describe()).startsWith("HTTP 500 xxx").endsWith("…").hasSize("HTTP 500 ".length() + 401);
        assertThat(new Http.Answer(401, "bad\n  token s3cret-value", null, "u").describe()).isEqualTo("HTTP 401 bad token ***");
    }
}
