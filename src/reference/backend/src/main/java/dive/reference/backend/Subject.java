package dive.reference.backend;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The attributes of the caller, read from the verified token's claims. {@code organizationType} (GOVERNMENT,
 * MILITARY, INDUSTRY, ...) may be absent (null).
 */
public record Subject(String uniqueID, String clearance, String clearanceOriginal, String countryOfAffiliation,
                      List<String> acpCOI, String issuer, String organizationType) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** National clearance labels normalised to the NATO scale UNCLASSIFIED < CONFIDENTIAL < SECRET < TOP_SECRET. */
    private static final Map<String, String> CLEARANCE = Map.ofEntries(
            Map.entry("UNCLASSIFIED", "UNCLASSIFIED"),
            Map.entry("CONFIDENTIAL", "CONFIDENTIAL"),
            Map.entry("SECRET", "SECRET"),
            Map.entry("TOP_SECRET", "TOP_SECRET"),
            Map.entry("TOP SECRET", "TOP_SECRET"),
            Map.entry("NON CLASSIFIÉ", "UNCLASSIFIED"),
            Map.entry("NON CLASSIFIE", "UNCLASSIFIED"),
            Map.entry("CONFIDENTIEL DÉFENSE", "CONFIDENTIAL"),
            Map.entry("CONFIDENTIEL DEFENSE", "CONFIDENTIAL"),
            Map.entry("SECRET DÉFENSE", "SECRET"),
            Map.entry("SECRET DEFENSE", "SECRET"),
            Map.entry("TRÈS SECRET DÉFENSE", "TOP_SECRET"),
            Map.entry("TRES SECRET DEFENSE", "TOP_SECRET"),
            Map.entry("OFFICIAL", "UNCLASSIFIED"),
            Map.entry("OFFICIAL-SENSITIVE", "CONFIDENTIAL"),
            Map.entry("OFFEN", "UNCLASSIFIED"),
            Map.entry("VS-VERTRAULICH", "CONFIDENTIAL"),
            Map.entry("GEHEIM", "SECRET"),
            Map.entry("STRENG GEHEIM", "TOP_SECRET"));

    public static String normaliseClearance(String label) {
        if (label == null) {
            return null;
        }
        String key = label.trim().toUpperCase(Locale.ROOT);
        return CLEARANCE.getOrDefault(key, key);
    }

    public static Subject fromClaims(JWTClaimsSet claims) {
        Map<String, Object> c = claims.getClaims();
        String uniqueID = first(c.get("uniqueID"));
        if (uniqueID == null) {
            uniqueID = first(c.get("preferred_username"));
        }
        if (uniqueID == null) {
            uniqueID = claims.getSubject();
        }
        String clearance = first(c.get("clearance"));
        String organizationType = first(c.get("organizationType"));
        return new Subject(uniqueID, normaliseClearance(clearance), clearance, first(c.get("countryOfAffiliation")),
                coi(c.get("acpCOI")), claims.getIssuer(), organizationType == null ? null : organizationType.trim());
    }

    /** A claim that may be a string or a (multi-valued attribute) list: its first value. */
    static String first(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Collection<?> col) {
            for (Object o : col) {
                if (o != null) {
                    return o.toString();
                }
            }
            return null;
        }
        String s = v.toString();
        return s.isBlank() ? null : s;
    }

    /** acpCOI as a list, a JSON string ("[\"NATO\",\"FVEY\"]"), a list of JSON strings, or one plain value. */
    static List<String> coi(Object v) {
        Set<String> out = new LinkedHashSet<>();
        addCoi(v, out);
        return new ArrayList<>(out);
    }

    private static void addCoi(Object v, Set<String> out) {
        if (v == null) {
            return;
        }
        if (v instanceof Collection<?> col) {
            for (Object o : col) {
                addCoi(o, out);
            }
            return;
        }
        String s = v.toString().trim();
        if (s.isEmpty()) {
            return;
        }
        if (s.startsWith("[")) {
            try {
                List<Object> parsed = JSON.readValue(s, new TypeReference<List<Object>>() {});
                addCoi(parsed, out);
                return;
            } catch (Exception e) {
                // not JSON after all: fall through and keep it as one value
            }
        }
        out.add(s);
    }
}
