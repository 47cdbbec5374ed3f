package dive.reference.backend;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OPA input of the contract: {subject, action, resource, context}; beyond the contract
 * {@code subject.organizationType} (omitted when the token has none) and {@code resource.releasableToIndustry}
 * (true only when the resource says so) for the industry rule.
 */
public final class AuthzInput {
    private AuthzInput() {}

    public static Map<String, Object> build(Subject s, Map<String, Object> resource, String operation, String requestId,
                                            Instant now) {
        Map<String, Object> subject = new LinkedHashMap<>();
        subject.put("uniqueID", s.uniqueID());
        subject.put("clearance", s.clearance());
        subject.put("clearanceOriginal", s.clearanceOriginal());
        subject.put("countryOfAffiliation", s.countryOfAffiliation());
        subject.put("acpCOI", s.acpCOI());
        subject.put("issuer", s.issuer());
        if (s.organizationType() != null) {
            subject.put("organizationType", s.organizationType());
        }
        subject.put("authenticated", true);

        Map<String, Object> res = new LinkedHashMap<>();
        res.put("resourceId", resource.get("resourceId"));
        res.put("classification", resource.get("classification"));
        res.put("releasabilityTo", listOf(resource.get("releasabilityTo")));
        res.put("COI", listOf(resource.get("COI")));
        res.put("releasableToIndustry", Boolean.TRUE.equals(resource.get("releasableToIndustry")));

        Map<String, Object> context = new LinkedHashMap<>();
        context.put("currentTime", now.toString());
        context.put("requestId", requestId);

        Map<String, Object> input = new LinkedHashMap<>();
        input.put("subject", subject);
        input.put("action", Map.of("operation", operation));
        input.put("resource", res);
        input.put("context", context);
        return Map.of("input", input);
    }

    private static List<?> listOf(Object v) {
        if (v instanceof List<?> l) {
            return l;
        }
        return v == null ? List.of() : List.of(v);
    }
}
