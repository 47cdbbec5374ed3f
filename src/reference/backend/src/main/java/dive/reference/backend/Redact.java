package dive.reference.backend;

/** Masks the password of any URL of the form scheme://user:password@host... before it is logged. */
public final class Redact {
    private Redact() {}

    public static String url(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int start = scheme + 3;
        int at = url.lastIndexOf('@');
        if (at < start) {
            return url;
        }
        String userInfo = url.substring(start, at);
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            return url;
        }
        return url.substring(0, start) + userInfo.substring(0, colon) + ":****" + url.substring(at);
    }
}
