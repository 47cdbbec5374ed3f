package dive.reference.backend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class AuthzInputTest {

    @Test
    @SuppressWarnings("unchecked")
    void inputHasTheContractShape() {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("http://localhost:8453/realms/dive-v3-broker-fra")
                .subject("abc")
                .claim("uniqueID", "testuser-fra-5")
                .claim("clearance", "SECRET DÉFENSE")
                .claim("countryOfAffiliation", "FRA")
                .claim("acpCOI", "[\"NATO\",\"FVEY\"]")
                .build();
        Subject s = Subject.fromClaims(claims);
        Map<String, Object> resource = Map.of("resourceId", "doc-FRA-003", "classification", "SECRET",
                "releasabilityTo", List.of("FRA", "USA"), "COI", List.of("NATO"), "title", "t");
        Map<String, Object> wrapped = AuthzInput.build(s, resource, "read", "req-1", Instant.parse("2026-01-27T10:00:00Z"));
        Map<String, Object> input = (Map<String, Object>) wrapped.get("input");
        Map<String, Object> subject = (Map<String, Object>) input.get("subject");
        assertEquals("testuser-fra-5", subject.get("uniqueID"));
        assertEquals("SECRET", subject.get("clearance"));
        assertEquals("SECRET DÉFENSE", subject.get("clearanceOriginal"));
        assertEquals("FRA", subject.get("countryOfAffiliation"));
        assertEquals(List.of("NATO", "FVEY"), subject.get("acpCOI"));
        assertEquals("http://localhost:8453/realms/dive-v3-broker-fra", subject.get("issuer"));
        assertEquals(Map.of("operation", "read"), input.get("action"));
        Map<String, Object> res = (Map<String, Object>) input.get("resource");
        assertEquals(Map.of("resourceId", "doc-FRA-003", "classification", "SECRET",
                "releasabilityTo", List.of("FRA", "USA"), "COI", List.of("NATO"), "releasableToIndustry", false), res);
        assertFalse(subject.containsKey("organizationType"), "absent organizationType is omitted");
        assertEquals(Map.of("currentTime", "2026-01-27T10:00:00Z", "requestId", "req-1"), input.get("context"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void organizationTypeAndReleasableToIndustry() {
        Subject s = Subject.fromClaims(new JWTClaimsSet.Builder().issuer("i").subject("c-1")
                .claim("uniqueID", "contractor-fra-1").claim("organizationType", List.of("INDUSTRY")).build());
        assertEquals("INDUSTRY", s.organizationType());
        Map<String, Object> input = (Map<String, Object>) AuthzInput.build(s, Map.of("resourceId", "doc-FRA-001",
                "classification", "UNCLASSIFIED", "releasableToIndustry", true), "read", "r", Instant.now()).get("input");
        assertEquals("INDUSTRY", ((Map<String, Object>) input.get("subject")).get("organizationType"));
        assertEquals(true, ((Map<String, Object>) input.get("resource")).get("releasableToIndustry"));
        Map<String, Object> notTrue = (Map<String, Object>) AuthzInput.build(s, Map.of("resourceId", "x",
                "releasableToIndustry", "true"), "read", "r", Instant.now()).get("input");
        assertEquals(false, ((Map<String, Object>) notTrue.get("resource")).get("releasableToIndustry"));
    }

    @Test
    void acpCoiVariants() {
        assertEquals(List.of("NATO", "FVEY"), Subject.coi(List.of("NATO", "FVEY")));
        assertEquals(List.of("NATO", "FVEY"), Subject.coi(List.of("[\"NATO\",\"FVEY\"]")));
        assertEquals(List.of("NATO"), Subject.coi("NATO"));
        assertEquals(List.of(), Subject.coi(null));
        assertEquals(List.of(), Subject.coi("[]"));
        assertEquals(List.of(), Subject.coi(""));
    }

    @Test
    void fallbacksAndNormalisation() {
        Subject s = Subject.fromClaims(new JWTClaimsSet.Builder().issuer("i").subject("sub-1")
                .claim("preferred_username", "admin-fra").claim("clearance", List.of("non classifié")).build());
        assertEquals("admin-fra", s.uniqueID());
        assertEquals("UNCLASSIFIED", s.clearance());
        assertNull(s.countryOfAffiliation());
        assertEquals(List.of(), s.acpCOI());
    }

    @Test
    void opaResultInterpretation() throws Exception {
        ObjectMapper m = new ObjectMapper();
        OpaClient.Decision none = OpaClient.interpret(m.readTree("{}"));
        assertFalse(none.allow());
        assertEquals("no policy loaded", none.reason());
        OpaClient.Decision deny = OpaClient.interpret(m.readTree("{\"result\":{\"allow\":false,\"reason\":\"clearance too low\"}}"));
        assertFalse(deny.allow());
        assertEquals("clearance too low", deny.reason());
        assertTrue(OpaClient.interpret(m.readTree("{\"result\":{\"allow\":true}}")).allow());
        assertFalse(OpaClient.interpret(m.readTree("{\"result\":{\"decision\":{}}}")).allow());
    }
}
