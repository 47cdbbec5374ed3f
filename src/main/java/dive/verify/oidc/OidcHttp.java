package dive.verify.oidc;

import dive.verify.http.Http;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * What the OIDC calls add to the harness's HTTP client ({@link Http}): a cookie
 * store for the simulated browser, a user agent, failures thrown as
 * {@link OidcException} (a login either works or says where it stopped), and
 * URLs shown without their query (codes and states stay out of messages).
 */
final class OidcHttp {
    static final Duration CONNECT_TIMEOUT = Http.CONNECT_TIMEOUT;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    static final String USER_AGENT = "dive-verify-oidc/1.0 (a simulated browser)";

    private OidcHttp() {}

    /** The harness's client settings ({@link Http#clientBuilder()}), with a cookie store or none. */
    static HttpClient newClient(CookieHandler cookies) {
        HttpClient.Builder b = Http.clientBuilder();
        if (cookies != null) b.cookieHandler(cookies);
        return b.build();
    }

    static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("User-Agent", USER_AGENT);
    }

    static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(formBody(fields));
    }

    static String formBody(Map<String, String> fields) {
        return Http.formBody(fields);
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    /** Sends and reads the body as a string; I/O failures become an {@link OidcException} naming the URL (no query). */
    static HttpResponse<String> send(HttpClient client, HttpRequest request, String what) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OidcException(what + ": " + request.method() + " " + strip(request.uri()) + " failed: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcException(what + ": interrupted during " + request.method() + " " + strip(request.uri()), e);
        }
    }

    /** A URL without its query string and fragment: what messages and page lists show. */
    static String strip(URI uri) {
        String s = uri.toString();
        int q = s.indexOf('?');
        if (q >= 0) s = s.substring(0, q);
        int f = s.indexOf('#');
        return f >= 0 ? s.substring(0, f) : s;
    }

    static String strip(String uri) {
        try { return strip(URI.create(uri)); } catch (IllegalArgumentException e) { return uri.replaceAll("[?#].*", ""); }
    }

    /** The realm name in a Keycloak URL path ({@code /realms/<realm>/...}), or null. */
    static String realmOf(URI uri) {
        String p = uri.getPath();
        if (p == null) return null;
        int i = p.indexOf("/realms/");
        if (i < 0) return null;
        String rest = p.substring(i + "/realms/".length());
        int slash = rest.indexOf('/');
        String realm = slash < 0 ? rest : rest.substring(0, slash);
        return realm.isEmpty() ? null : realm;
    }
}
