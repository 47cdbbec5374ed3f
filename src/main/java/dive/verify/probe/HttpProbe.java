package dive.verify.probe;

import dive.verify.http.Http;

import java.time.Duration;

/** HTTP GETs with short deadlines so a dead service fails fast; redirects are not followed. */
public final class HttpProbe {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    private HttpProbe() {}

    public static Http.Answer get(String url) {
        return Http.call("GET", url).timeout(DEADLINE).send();
    }

    /** GET that must answer {@code expectedStatus}; the evidence quotes status and the start of the body. */
    public static Evidence expect(String url, int expectedStatus) {
        String what = "GET " + url;
        Http.Answer r = get(url);
        if (!r.answered()) return Evidence.failed(what, r.body());
        String body = r.body() == null ? "" : r.body();
        String seen = "HTTP " + r.status() + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        return r.status() == expectedStatus ? Evidence.ok(what, seen) : Evidence.failed(what, seen + " (expected HTTP " + expectedStatus + ")");
    }
}
