package dive.verify.oidc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The claims of a JWT whose signature, issuer and expiry have been checked
 * by {@link TokenVerifier}. Holds the claims only, never the token text.
 */
public final class VerifiedToken {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JWTClaimsSet claims;

    VerifiedToken(JWTClaimsSet claims) { this.claims = claims; }

    public String sub() { return claims.getSubject(); }
    public String iss() { return claims.getIssuer(); }
    public Instant exp() { return instant(claims.getExpirationTime()); }
    public Instant iat() { return instant(claims.getIssueTime()); }
    public List<String> audience() { return claims.getAudience(); }
    /** The client the token was issued to ({@code azp}), or null. */
    public String azp() { return stringClaim("azp"); }

    public String uniqueID() { return stringClaim("uniqueID"); }
    public String clearance() { return stringClaim("clearance"); }
    public String countryOfAffiliation() { return stringClaim("countryOfAffiliation"); }
    public String organizationType() { return stringClaim("organizationType"); }

    /**
     * The subject's communities of interest. The claim may be a JSON array, a
     * single string, or a string holding a JSON array (Keycloak's user-attribute
     * mappers produce all three); absent means none.
     */
    public List<String> acpCOI() { return stringList("acpCOI"); }

    /** A claim as the JSON parser gave it (String, Number, Boolean, List, Map) or null. */
    public Object claim(String name) { return claims.getClaim(name); }

    /** All claims. */
    public Map<String, Object> claims() { return claims.getClaims(); }

    /** A claim as text: a string, a one-element array's element, or the JSON text of anything else; null if absent. */
    public String stringClaim(String name) {
        Object v = claims.getClaim(name);
        if (v == null) return null;
        if (v instanceof String s) return s;
        if (v instanceof Collection<?> c && c.size() == 1) {
            Object only = c.iterator().next();
            return only == null ? null : only.toString();
        }
        if (v instanceof Collection<?> || v instanceof Map<?, ?>) {
            try { return JSON.writeValueAsString(v); } catch (IOException e) { return v.toString(); }
        }
        return v.toString();
    }

    /** A claim as a list of strings (array, single string, or a string holding a JSON array); empty if absent. */
    public List<String> stringList(String name) {
        List<String> out = new ArrayList<>();
        flatten(claims.getClaim(name), out);
        return List.copyOf(out);
    }

    private static void flatten(Object v, List<String> out) {
        if (v == null) return;
        if (v instanceof Collection<?> c) {
            for (Object o : c) flatten(o, out);
            return;
        }
        String s = v.toString().trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            try {
                List<Object> inner = JSON.readValue(s, new TypeReference<List<Object>>() {});
                for (Object o : inner) flatten(o, out);
                return;
            } catch (IOException notJson) {
                // an ordinary string that happens to look like an array
            }
        }
        if (!s.isEmpty()) out.add(s);
    }

    private static Instant instant(Date d) { return d == null ? null : d.toInstant(); }

    @Override
    public String toString() {
        return "VerifiedToken[iss=" + iss() + ", sub=" + sub() + ", exp=" + exp() + ", uniqueID=" + uniqueID() + "]";
    }
}
