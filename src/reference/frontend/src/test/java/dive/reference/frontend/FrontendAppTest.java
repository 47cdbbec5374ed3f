package dive.reference.frontend;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class FrontendAppTest {
    @Test
    void titleAndLoginUrl() throws Exception {
        FrontendApp f = new FrontendApp(Map.of("INSTANCE_CODE", "fra", "INSTANCE_NAME", "France Defence",
                "KEYCLOAK_ISSUER", "http://localhost:8453/realms/dive-v3-broker-fra",
                "FRONTEND_URL", "http://localhost:3010/"));
        assertEquals("DIVE V3 — France Defence (FRA)", f.title());
        assertEquals("http://localhost:8453/realms/dive-v3-broker-fra/protocol/openid-connect/auth?response_type=code"
                + "&client_id=dive-v3-broker-fra&redirect_uri=http%3A%2F%2Flocalhost%3A3010%2Fcallback"
                + "&scope=openid+profile+email&state=s1", f.loginUrl("s1"));
    }

    @Test
    void escaping() {
        assertEquals("&lt;b&gt; &amp; &quot;x&quot;", FrontendApp.esc("<b> & \"x\""));
    }
}
