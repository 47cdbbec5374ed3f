package dive.verify.probe;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The probes that speak HTTP, against a local server: the texts the negative features quote. */
class HttpProbesTest {
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            int status = 200;
            String body;
            if (path.equals("/realms/dive/.well-known/openid-configuration")) {
                body = "{\"issuer\":\"" + base + "/realms/dive\",\"token_endpoint\":\"" + base + "/realms/dive/protocol/openid-connect/token\"}";
            } else if (path.equals("/realms/other/.well-known/openid-configuration")) {
                body = "{\"issuer\":\"http://elsewhere/realms/other\"}";
            } else if (path.equals("/v1/data/loaded/allow")) {
                body = "{\"result\":true}";
            } else if (path.startsWith("/v1/data/")) {
                body = "{}";
            } else if (path.startsWith("/v1/policies/")) {
                body = "{}";
            } else if (path.equals("/health")) {
                body = "{\"status\":\"healthy\"}";
            } else {
                status = 404;
                body = "Not Found";
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() { server.stop(0); }

    @Test
    void discoveryChecksTheIssuerAndQuotesTheStatus() {
        assertThat(OidcDiscoveryProbe.discovery(base, "dive").ok()).isTrue();
        Evidence missing = OidcDiscoveryProbe.discovery(base, "no-such-realm");
        assertThat(missing.ok()).isFalse();
        assertThat(missing.observed()).contains("HTTP 404");
        Evidence wrong = OidcDiscoveryProbe.discovery(base, "other");
        assertThat(wrong.ok()).isFalse();
        assertThat(wrong.observed()).isEqualTo("issuer http://elsewhere/realms/other, expected " + base + "/realms/other");
    }

    @Test
    void opaWithoutAPolicyGivesNoResult() {
        Evidence e = OpaProbe.decide(base, "diveverify.unloaded.allow", Map.of("subject", Map.of()));
        assertThat(e.ok()).isFalse();
        assertThat(e.observed()).isEqualTo("no result: no policy loaded at data.diveverify.unloaded.allow");
        assertThat(OpaProbe.decide(base, "loaded.allow", Map.of()).observed()).isEqualTo("result true");
        assertThat(OpaProbe.putPolicy(base, "p", "package p").ok()).isTrue();
    }

    @Test
    void anExpectedStatusIsJudgedAndAServiceThatDoesNotAnswerIsNamed() throws IOException {
        assertThat(HttpProbe.expect(base + "/health", 200).observed()).isEqualTo("HTTP 200 {\"status\":\"healthy\"}");
        assertThat(HttpProbe.expect(base + "/nothing", 200).observed()).isEqualTo("HTTP 404 Not Found (expected HTTP 200)");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Evidence dead = HttpProbe.expect("http://127.0.0.1:" + closed + "/health", 200);
        assertThat(dead.ok()).isFalse();
        assertThat(dead.observed()).contains("Connection refused");
        assertThat(OpaProbe.decide("http://127.0.0.1:" + closed, "x", Map.of()).observed()).contains("Connection refused");
    }
}
