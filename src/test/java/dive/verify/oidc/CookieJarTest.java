package dive.verify.oidc;

import org.junit.jupiter.api.Test;

import java.net.CookieManager;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CookieJarTest {
    static final URI LOGIN = URI.create("http://localhost:8443/realms/dive-v3-broker-fra/protocol/openid-connect/auth?client_id=x");
    static final URI POST = URI.create("http://localhost:8443/realms/dive-v3-broker-fra/login-actions/authenticate?session_code=y");

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
        void advance(Duration d) { now = now.plus(d); }
    }

    static Map<String, List<String>> setCookie(String... lines) { return Map.of("Set-Cookie", List.of(lines)); }

    @Test
    void keepsSecureCookiesOverPlainHttpWhereTheJdkCookieManagerDropsThem() throws Exception {
        String line = "AUTH_SESSION_ID=abc.def-123; Version=1; Path=/realms/dive-v3-broker-fra/; SameSite=None; Secure; HttpOnly";

        CookieManager jdk = new CookieManager();
        jdk.put(LOGIN, setCookie(line));
        assertThat(jdk.get(POST, Map.of()).getOrDefault("Cookie", List.of())).isEmpty();   // the fact this class exists for

        CookieJar jar = new CookieJar();
        jar.put(LOGIN, setCookie(line));
        assertThat(jar.get(POST, Map.of())).containsEntry("Cookie", List.of("AUTH_SESSION_ID=abc.def-123"));
        assertThat(jar.cookies()).singleElement().satisfies(c -> {
            assertThat(c.secure()).isTrue();
            assertThat(c.httpOnly()).isTrue();
        });
    }

    @Test
    void honoursPathAndIgnoresPorts() {
        CookieJar jar = new CookieJar();
        jar.setCookie(LOGIN, "KC_RESTART=r1; Path=/realms/dive-v3-broker-fra/; Secure");
        jar.setCookie(URI.create("http://localhost:8444/realms/dive-v3-broker-usa/x"), "KC_RESTART=r2; Path=/realms/dive-v3-broker-usa/");

        assertThat(jar.cookieHeader(URI.create("http://localhost:9999/realms/dive-v3-broker-fra/login-actions/x"))).isEqualTo("KC_RESTART=r1");
        assertThat(jar.cookieHeader(URI.create("http://localhost:8443/realms/dive-v3-broker-usa/protocol"))).isEqualTo("KC_RESTART=r2");
        assertThat(jar.cookieHeader(URI.create("http://localhost:8443/realms/dive-v3-broker-fra"))).isEmpty();   // "/realms/x" is not under "/realms/x/"
        assertThat(jar.cookieHeader(URI.create("http://localhost:8443/admin/"))).isEmpty();
    }

    @Test
    void defaultPathIsTheDirectoryOfTheRequestPath() {
        CookieJar jar = new CookieJar();
        jar.setCookie(URI.create("http://localhost/a/b/c?q=1"), "x=1");
        assertThat(jar.cookies()).singleElement().extracting(CookieJar.Cookie::path).isEqualTo("/a/b");
        assertThat(jar.cookieHeader(URI.create("http://localhost/a/b"))).isEqualTo("x=1");
        assertThat(jar.cookieHeader(URI.create("http://localhost/a/bc"))).isEmpty();
        assertThat(CookieJar.defaultPath(URI.create("http://localhost/top"))).isEqualTo("/");
    }

    @Test
    void honoursHostOnlyAndDomainCookies() {
        CookieJar jar = new CookieJar();
        jar.setCookie(URI.create("http://kc.example.org/"), "hostonly=1; Path=/");
        jar.setCookie(URI.create("http://kc.example.org/"), "dom=2; Domain=.example.org; Path=/");
        jar.setCookie(URI.create("http://kc.example.org/"), "foreign=3; Domain=other.org; Path=/");

        assertThat(jar.cookieHeader(URI.create("http://kc.example.org/"))).contains("hostonly=1", "dom=2");
        assertThat(jar.cookieHeader(URI.create("http://app.example.org/"))).isEqualTo("dom=2");
        assertThat(jar.cookieHeader(URI.create("http://example.org/"))).isEqualTo("dom=2");
        assertThat(jar.cookieHeader(URI.create("http://other.org/"))).isEmpty();
        assertThat(jar.cookies()).extracting(CookieJar.Cookie::name).doesNotContain("foreign");
    }

    @Test
    void sendsLongerPathsFirstAndReplacesSameNameDomainPath() {
        CookieJar jar = new CookieJar();
        jar.setCookie(LOGIN, "a=root; Path=/");
        jar.setCookie(LOGIN, "a=realm; Path=/realms/dive-v3-broker-fra/");
        jar.setCookie(LOGIN, "a=realm2; Path=/realms/dive-v3-broker-fra/");
        assertThat(jar.cookieHeader(POST)).isEqualTo("a=realm2; a=root");
    }

    @Test
    void maxAgeExpiresAndMaxAgeZeroDeletes() {
        MovableClock clock = new MovableClock();
        CookieJar jar = new CookieJar(clock);
        jar.setCookie(LOGIN, "KEYCLOAK_IDENTITY=id; Max-Age=60; Path=/realms/dive-v3-broker-fra/; Secure");
        jar.setCookie(LOGIN, "KEYCLOAK_SESSION=s; Path=/realms/dive-v3-broker-fra/; Secure");
        assertThat(jar.cookieHeader(POST)).contains("KEYCLOAK_IDENTITY=id", "KEYCLOAK_SESSION=s");

        clock.advance(Duration.ofSeconds(61));
        assertThat(jar.cookieHeader(POST)).isEqualTo("KEYCLOAK_SESSION=s");   // session cookie stays

        // Keycloak's way of deleting a cookie: empty value, a date in 1970 and Max-Age=0
        jar.setCookie(LOGIN, "KEYCLOAK_SESSION=; Version=1; Comment=Expiring cookie; Expires=Thu, 01-Jan-1970 00:00:10 GMT; Max-Age=0; Path=/realms/dive-v3-broker-fra/; Secure; HttpOnly");
        assertThat(jar.cookieHeader(POST)).isEmpty();
        assertThat(jar.cookies()).isEmpty();
    }

    @Test
    void expiresIsHonouredWhenNoMaxAgeAndMaxAgeWinsOverExpires() {
        MovableClock clock = new MovableClock();
        CookieJar jar = new CookieJar(clock);
        jar.setCookie(LOGIN, "e=1; Expires=Tue, 01 Dec 2026 10:05:00 GMT; Path=/");
        jar.setCookie(LOGIN, "past=1; Expires=Thu, 01-Jan-1970 00:00:10 GMT; Path=/");
        jar.setCookie(LOGIN, "both=1; Expires=Thu, 01-Jan-1970 00:00:10 GMT; Max-Age=600; Path=/");
        assertThat(jar.cookieHeader(POST)).contains("e=1", "both=1").doesNotContain("past");

        clock.advance(Duration.ofMinutes(6));
        assertThat(jar.cookieHeader(POST)).isEqualTo("both=1");
    }

    @Test
    void parsesTheDateFormsServersSend() {
        Instant t = Instant.parse("1994-11-06T08:49:37Z");
        assertThat(CookieJar.parseDate("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(t);
        assertThat(CookieJar.parseDate("Sun, 06-Nov-1994 08:49:37 GMT")).isEqualTo(t);
        assertThat(CookieJar.parseDate("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(t);
        assertThat(CookieJar.parseDate("Sun, 06-Nov-94 08:49:37 GMT")).isEqualTo(t);
        assertThat(CookieJar.parseDate("Sun Nov  6 08:49:37 1994")).isEqualTo(t);
        assertThat(CookieJar.parseDate("not a date")).isNull();
    }

    @Test
    void toStringNamesCookiesButNeverValues() {
        CookieJar jar = new CookieJar();
        jar.setCookie(LOGIN, "AUTH_SESSION_ID=very-secret-value; Path=/realms/dive-v3-broker-fra/; Secure");
        assertThat(jar.toString()).contains("AUTH_SESSION_ID").doesNotContain("very-secret-value");
    }

    @Test
    void ignoresMalformedLinesAndOtherHeaders() {
        CookieJar jar = new CookieJar();
        jar.put(LOGIN, Map.of("Set-Cookie", List.of("=novalue", "noequals"), "Content-Type", List.of("a=b")));
        assertThat(jar.cookies()).isEmpty();
        jar.put(LOGIN, Map.of("set-cookie", List.of("lower=case; Path=/")));
        assertThat(jar.cookieHeader(POST)).isEqualTo("lower=case");
    }
}
