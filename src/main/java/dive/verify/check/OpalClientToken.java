package dive.verify.check;

import dive.verify.http.Http;
import dive.verify.instance.Instance;
import dive.verify.report.Secrets;

import java.util.Map;

/**
 * Asks the hub's OPAL server for a client token with the hub's master token
 * ({@code POST /token}), as the hub does when it approves a spoke, and stores
 * it in the spoke's .env as SPOKE_OPAL_TOKEN for the spoke's opal-client.
 */
public final class OpalClientToken {
    private OpalClientToken() {}

    public static String issue(Instance hub) {
        String url = "http://" + DeploymentChecks.HOST + ":" + hub.port("opal-server") + "/token";
        Http.Answer r = Http.postJson(url, Map.of("type", "client"), hub.secret("OPAL_AUTH_MASTER_TOKEN"));
        if (!r.answered()) {
            throw new IllegalStateException(Secrets.redact("the hub's OPAL server did not answer: " + r.body()));
        }
        String token = r.status() == 200 ? r.field("token") : null;
        if (token == null) {
            throw new AssertionError(Secrets.redact("the hub's OPAL server refused to issue a client token: POST " + url
                    + " → HTTP " + r.status() + " " + r.body()));
        }
        Secrets.register(token);
        return token;
    }

    public static void storeFor(Instance spoke, String token) {
        spoke.env().put("OPAL client token issued by the hub's OPAL server", Map.of("SPOKE_OPAL_TOKEN", token));
        spoke.registerSecrets();
    }
}
