package dive.verify.oidc;

import java.net.CookieHandler;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cookie store of one simulated person's browser (RFC 6265, the parts a
 * login needs).
 *
 * <p>Unlike {@link java.net.CookieManager}, it <em>keeps and sends</em> cookies
 * marked {@code Secure} over plain http: Keycloak marks its login cookies
 * Secure even on {@code http://localhost}, and a store that drops them makes
 * the login form answer "cookie not found". Domain (or host-only), path and
 * expiry (Max-Age before Expires; Max-Age=0 or a past date deletes) are
 * honoured. Ports are ignored, as browsers do, so the realms of several
 * Keycloaks on localhost share one jar, separated by their paths.
 *
 * <p>{@link #toString()} names cookies, never their values.
 */
public final class CookieJar extends CookieHandler {

    /** One stored cookie. The value is not part of {@link #toString()}. */
    public record Cookie(String name, String value, String domain, boolean hostOnly, String path,
                         Instant expires, boolean secure, boolean httpOnly) {
        @Override public String toString() {
            return name + "@" + (hostOnly ? "" : ".") + domain + path + (secure ? " Secure" : "");
        }
        boolean matches(String host, String requestPath) {
            boolean hostOk = hostOnly ? host.equals(domain) : domainMatches(host, domain);
            return hostOk && pathMatches(requestPath, path);
        }
    }

    private final List<Cookie> cookies = new ArrayList<>();
    private final Clock clock;

    public CookieJar() { this(Clock.systemUTC()); }

    CookieJar(Clock clock) { this.clock = clock; }

    @Override
    public synchronized Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
        String header = cookieHeader(uri);
        return header.isEmpty() ? Map.of() : Map.of("Cookie", List.of(header));
    }

    @Override
    public synchronized void put(URI uri, Map<String, List<String>> responseHeaders) {
        for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
            if (e.getKey() == null || !e.getKey().equalsIgnoreCase("Set-Cookie")) continue;
            for (String line : e.getValue()) setCookie(uri, line);
        }
    }

    /** The {@code Cookie} header value a browser would send to {@code uri} (empty when none). */
    public synchronized String cookieHeader(URI uri) {
        String host = host(uri);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Instant now = clock.instant();
        cookies.removeIf(c -> expired(c, now));
        StringBuilder sb = new StringBuilder();
        cookies.stream()
                .filter(c -> c.matches(host, path))
                .sorted(Comparator.comparingInt((Cookie c) -> c.path().length()).reversed())
                .forEach(c -> {
                    if (sb.length() > 0) sb.append("; ");
                    sb.append(c.name()).append('=').append(c.value());
                });
        return sb.toString();
    }

    /** Stores (or deletes) the cookie of one {@code Set-Cookie} header received from {@code uri}. */
    public synchronized void setCookie(URI uri, String setCookie) {
        if (setCookie == null) return;
        String[] parts = setCookie.split(";");
        String pair = parts[0];
        int eq = pair.indexOf('=');
        if (eq <= 0) return;                       // no name: ignored (RFC 6265 5.2)
        String name = pair.substring(0, eq).trim();
        String value = unquote(pair.substring(eq + 1).trim());
        if (name.isEmpty()) return;

        String host = host(uri);
        String domain = null;
        String path = null;
        Long maxAge = null;
        Instant expires = null;
        boolean secure = false;
        boolean httpOnly = false;
        for (int i = 1; i < parts.length; i++) {
            String attr = parts[i].trim();
            int aeq = attr.indexOf('=');
            String key = (aeq < 0 ? attr : attr.substring(0, aeq)).trim().toLowerCase(Locale.ROOT);
            String val = aeq < 0 ? "" : attr.substring(aeq + 1).trim();
            switch (key) {
                case "domain" -> {
                    String d = val.startsWith(".") ? val.substring(1) : val;
                    if (!d.isEmpty()) domain = d.toLowerCase(Locale.ROOT);
                }
                case "path" -> { if (val.startsWith("/")) path = val; }
                case "max-age" -> {
                    try { maxAge = Long.parseLong(val); } catch (NumberFormatException ignored) { /* RFC: ignore */ }
                }
                case "expires" -> { Instant t = parseDate(val); if (t != null) expires = t; }
                case "secure" -> secure = true;
                case "httponly" -> httpOnly = true;
                default -> { /* SameSite, Version, Comment, ... */ }
            }
        }
        boolean hostOnly = domain == null;
        if (hostOnly) domain = host;
        else if (!domainMatches(host, domain)) return;   // a cookie for another site: rejected
        if (path == null) path = defaultPath(uri);

        Instant now = clock.instant();
        Instant expiry;
        if (maxAge != null) expiry = maxAge <= 0 ? Instant.MIN : now.plusSeconds(maxAge);
        else expiry = expires;                     // null: a session cookie

        Cookie cookie = new Cookie(name, value, domain, hostOnly, path, expiry, secure, httpOnly);
        for (Iterator<Cookie> it = cookies.iterator(); it.hasNext(); ) {
            Cookie c = it.next();
            if (c.name().equals(name) && c.domain().equals(cookie.domain()) && c.path().equals(cookie.path())) it.remove();
        }
        if (!expired(cookie, now)) cookies.add(cookie);
    }

    /** The cookies currently held (expired ones removed), for inspection in tests and diagnostics. */
    public synchronized List<Cookie> cookies() {
        Instant now = clock.instant();
        cookies.removeIf(c -> expired(c, now));
        return List.copyOf(cookies);
    }

    /** Forgets every cookie: the person closes the browser. */
    public synchronized void clear() { cookies.clear(); }

    @Override
    public synchronized String toString() { return "CookieJar" + cookies(); }

    // --- RFC 6265 helpers ---------------------------------------------------------------

    private static boolean expired(Cookie c, Instant now) {
        return c.expires() != null && !c.expires().isAfter(now);
    }

    private static String host(URI uri) {
        String h = uri.getHost();
        return h == null ? "" : h.toLowerCase(Locale.ROOT);
    }

    static boolean domainMatches(String host, String domain) {
        if (host.equals(domain)) return true;
        return host.endsWith("." + domain) && !isIpAddress(host);
    }

    private static boolean isIpAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }

    static boolean pathMatches(String requestPath, String cookiePath) {
        if (requestPath.equals(cookiePath)) return true;
        if (!requestPath.startsWith(cookiePath)) return false;
        return cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/';
    }

    static String defaultPath(URI uri) {
        String p = uri.getRawPath();
        if (p == null || !p.startsWith("/")) return "/";
        int last = p.lastIndexOf('/');
        return last == 0 ? "/" : p.substring(0, last);
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static final DateTimeFormatter[] DATE_FORMATS = {
            DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ofPattern("EEE, dd-MMM-yyyy HH:mm:ss zzz", Locale.ENGLISH),   // Keycloak, Netscape
            twoDigitYear("EEE, dd-MMM-"),
            twoDigitYear("EEEE, dd-MMM-"),                                                    // RFC 850
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC), // asctime
    };

    /** Two-digit years are 1970-2069, as RFC 6265 says. */
    private static DateTimeFormatter twoDigitYear(String head) {
        return new DateTimeFormatterBuilder().appendPattern(head)
                .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
                .appendPattern(" HH:mm:ss zzz").toFormatter(Locale.ENGLISH);
    }

    /** Parses a cookie date in the forms servers send; null when it is none of them (then ignored). */
    static Instant parseDate(String s) {
        String v = s.trim().replaceAll("\\s+", " ");
        for (DateTimeFormatter f : DATE_FORMATS) {
            try {
                return ZonedDateTime.parse(v, f).toInstant();
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        return null;
    }
}
