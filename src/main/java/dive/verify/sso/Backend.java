package dive.verify.sso;

import dive.verify.http.Http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** A DIVE backend's resource API, called as a user's client calls it. */
final class Backend {
    private Backend() {}

    static Http.Answer list(Site site, String bearer) {
        return Http.get(site.backendUrl() + "/api/resources", bearer);
    }

    static Http.Answer get(Site site, String bearer, String resourceId) {
        return Http.get(site.backendUrl() + "/api/resources/" + URLEncoder.encode(resourceId, StandardCharsets.UTF_8), bearer);
    }
}
