package dive.verify.probe;

import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;

/** HTTP GETs through REST Assured, with short timeouts so a dead service fails fast. */
public final class HttpProbe {
    private static final RestAssuredConfig CONFIG = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 5000).setParam("http.socket.timeout", 15000));

    private HttpProbe() {}

    public static Response get(String url) {
        return RestAssured.given().config(CONFIG).redirects().follow(false).get(url);
    }

    /** GET that must answer {@code expectedStatus}; the evidence quotes status and the start of the body. */
    public static Evidence expect(String url, int expectedStatus) {
        String what = "GET " + url;
        try {
            Response r = get(url);
            String body = r.asString();
            String seen = "HTTP " + r.statusCode() + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
            return r.statusCode() == expectedStatus ? Evidence.ok(what, seen) : Evidence.failed(what, seen + " (expected HTTP " + expectedStatus + ")");
        } catch (Exception e) {
            return Evidence.failed(what, Evidence.message(e));
        }
    }
}
