package dive.reference.kas;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Builds the OPA input of the contract from the token claims and the resource metadata. */
final class Attributes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> CLEARANCE = Map.ofEntries(
            Map.entry("TOP SECRET", "TOP_SECRET"),
            Map.entry("NON CLASSIFIÉ", "UNCLASSIFIED"), Map.entry("NON CLASSIFIE", "UNCLASSIFIED"),
            Map.entry("CONFIDENTIEL DÉFENSE", "CONFIDENTIAL"), Map.entry("CONFIDENTIEL DEFENSE", "CONFIDENTIAL"),
            Map.entry("SECRET DÉFENSE", "SECRET"), Map.entry("SECRET DEFENSE", "SECRET"),
            Map.entry("TRÈS SECRET DÉFENSE", "TOP_SECRET"), Map.entry("TRES SECRET DEFENSE", "TOP_SECRET"),
            Map.entry("OFFICIAL", "UNCLASSIFIED"), Map.entry("OFFICIAL-SENSITIVE", "CONFIDENTIAL"),
            Map.entry("OFFEN", "UNCLASSIFIED"), Map.entry("VS-VERTRAULICH", "CONFIDENTIAL"),
            Map.entry("GEHEIM", "SECRET"), Map.entry("STRENG GEHEIM", "TOP_SECRET"));

    private Attributes() {}

    static String uniqueId(JWTClaimsSet c) {
        String u = first(c.getClaim("uniqueID"));
        if (u == null) {
            u = first(c.getClaim("preferred_username"));
        }
        return u == null ? c.getSubject() : u;
    }

    static Map<String, Object> input(JWTClaimsSet claims, Map<String, Object> resource, String resourceId,
                                     String operation, String requestId) {
        String clearance = first(claims.getClaim("clearance"));
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("uniqueID", uniqueId(claims));
        subject.put("clearance", clearance == null ? null
                : CLEARANCE.getOrDefault(clearance.trim().toUpperCase(Locale.ROOT), clearance.trim().toUpperCase(Locale.ROOT)));
        subject.put("clearanceOriginal", clearance);
        subject.put("countryOfAffiliation", first(claims.getClaim("countryOfAffiliation")));
        subject.put("acpCOI", coi(claims.getClaim("acpCOI")));
        subject.put("issuer", claims.getIssuer());
        String organizationType = first(claims.getClaim("organizationType"));
        if (organizationType != null) {
            subject.put("organizationType", organizationType.trim());
        }
        subject.put("authenticated", true);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("resourceId", resourceId);
        res.put("classification", resource.get("classification"));
        res.put("releasabilityTo", list(resource.get("releasabilityTo")));
        res.put("COI", list(resource.get("COI")));
        res.put("releasableToIndustry", Boolean.TRUE.equals(resource.get("releasableToIndustry")));
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("subject", subject);
        input.put("action", Map.of("operation", operation));
        input.put("resource", res);
        input.put("context", Map.of("currentTime", Instant.now().toString(), "requestId", requestId));
        return Map.of("input", input);
    }

    private static List<?> list(Object v) {
        return v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
    }

    static String first(Object v) {
        if (v instanceof Collection<?> col) {
            return col.isEmpty() || col.iterator().next() == null ? null : col.iterator().next().toString();
        }
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    static List<String> coi(Object v) {
        Set<String> out = new LinkedHashSet<>();
        add(v, out);
        return new ArrayList<>(out);
    }

    private static void add(Object v, Set<String> out) {
        if (v instanceof Collection<?> col) {
            col.forEach(o -> add(o, out));
            return;
        }
        if (v == null || v.toString().isBlank()) {
            return;
        }
        String s = v.toString().trim();
        if (s.startsWith("[")) {
            try {
                add(JSON.readValue(s, new TypeReference<List<Object>>() {}), out);
                return;
            } catch (Exception ignored) {
                // keep as a single value
            }
        }
        out.add(s);
    }
}
