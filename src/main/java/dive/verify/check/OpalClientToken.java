package dive.verify.check;

import dive.verify.instance.Instance;
import dive.verify.report.Secrets;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

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
        Response r = RestAssured.given().header("Authorization", "Bearer " + hub.secret("OPAL_AUTH_MASTER_TOKEN"))
                .contentType(ContentType.JSON).body(Map.of("type", "client")).post(url);
        if (r.statusCode() != 200) {
            throw new AssertionError(Secrets.redact("the hub's OPAL server refused to issue a client token: POST " + url
                    + " → HTTP " + r.statusCode() + " " + r.asString()));
        }
        String token = r.jsonPath().getString("token");
        Secrets.register(token);
        return token;
    }

    public static void storeFor(Instance spoke, String token) {
        spoke.env().put("OPAL client token issued by the hub's OPAL server", Map.of("SPOKE_OPAL_TOKEN", token));
        spoke.registerSecrets();
    }
}
