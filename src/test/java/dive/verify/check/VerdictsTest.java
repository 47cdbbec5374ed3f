package dive.verify.check;

import dive.verify.probe.Evidence;
import dive.verify.probe.IndexInfo;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictsTest {
    static final IndexInfo ID = new IndexInfo("_id_", List.of("_id"), false);

    static Evidence unique(String field, IndexInfo... indexes) {
        return Verdicts.index("dive-v3-fra", "trusted_issuers", field, true, List.of(indexes));
    }

    static Evidence plain(String field, IndexInfo... indexes) {
        return Verdicts.index("dive-v3-fra", "trusted_issuers", field, false, List.of(indexes));
    }

    @Nested
    class MongoIndexes {
        @Test
        void aUniqueSingleFieldIndexPasses() {
            Evidence e = unique("issuerUrl", ID, new IndexInfo("issuerUrl_unique", List.of("issuerUrl"), true));
            assertThat(e.ok()).isTrue();
            assertThat(e.what()).isEqualTo("unique index on issuerUrl of dive-v3-fra.trusted_issuers");
            assertThat(e.observed()).startsWith("index issuerUrl_unique [issuerUrl] unique; all: ");
        }

        @Test
        void aCompoundIndexIsNotAUniqueIndexOnItsFirstField() {
            Evidence e = unique("issuerUrl", ID, new IndexInfo("issuerUrl_1_tenant_1", List.of("issuerUrl", "tenant"), true));
            assertThat(e.ok()).isFalse();
            assertThat(e.observed()).startsWith("issuerUrl is only part of compound index issuerUrl_1_tenant_1 [issuerUrl, tenant] unique")
                    .contains("not an index on [issuerUrl] alone");
        }

        @Test
        void aCompoundIndexIsNotAnIndexOnItsSecondField() {
            Evidence e = plain("tenant", ID, new IndexInfo("issuerUrl_1_tenant_1", List.of("issuerUrl", "tenant"), false));
            assertThat(e.ok()).isFalse();
            assertThat(e.observed()).startsWith("tenant is only part of compound index issuerUrl_1_tenant_1");
        }

        @Test
        void aNonUniqueIndexIsNotAUniqueIndex() {
            Evidence e = unique("issuerUrl", ID, new IndexInfo("issuerUrl_1", List.of("issuerUrl"), false));
            assertThat(e.ok()).isFalse();
            assertThat(e.observed()).startsWith("index issuerUrl_1 on [issuerUrl] is not unique; all: ");
        }

        @Test
        void aUniqueIndexIsAlsoAnIndex() {
            assertThat(plain("tenant", ID, new IndexInfo("tenant_u", List.of("tenant"), true)).ok()).isTrue();
        }

        @Test
        void aPlainIndexPassesWhenUniquenessIsNotAsked() {
            Evidence e = plain("tenant", ID, new IndexInfo("tenant_1", List.of("tenant"), false));
            assertThat(e.ok()).isTrue();
            assertThat(e.what()).isEqualTo("index on tenant of dive-v3-fra.trusted_issuers");
            assertThat(e.observed()).isEqualTo("index tenant_1 [tenant]; all: [_id_ [_id], tenant_1 [tenant]]");
        }

        @Test
        void theRightIndexIsFoundAfterACompoundOne() {
            assertThat(unique("issuerUrl", new IndexInfo("c", List.of("issuerUrl", "tenant"), true),
                    new IndexInfo("s", List.of("issuerUrl"), true)).ok()).isTrue();
        }

        @Test
        void anIndexOnAnotherFieldDoesNotCount() {
            Evidence e = plain("tenant", ID, new IndexInfo("tenantId_1", List.of("tenantId"), false));
            assertThat(e.ok()).isFalse();
            assertThat(e.observed()).isEqualTo("no index on [tenant]; all: [_id_ [_id], tenantId_1 [tenantId]]");
        }

        @Test
        void noIndexesMeansNoCollection() {
            Evidence e = unique("issuerUrl");
            assertThat(e.ok()).isFalse();
            assertThat(e.observed()).isEqualTo("no indexes (collection missing?)");
        }
    }

    @Nested
    class AuditRows {
        @Test
        void oneRowOrMorePasses() {
            Evidence e = Verdicts.auditRows("doc-fra-001", Evidence.ok("SQL", "1 row(s): [3]"));
            assertThat(e.ok()).isTrue();
            assertThat(e.what()).isEqualTo("audit rows for doc-fra-001 in dive_v3.audit_log");
            assertThat(e.observed()).isEqualTo("3 row(s)");
        }

        @Test
        void exactlyOneRowPasses() {
            assertThat(Verdicts.auditRows("d", Evidence.ok("SQL", "1 row(s): [1]")).ok()).isTrue();
        }

        @Test
        void aCountOfZeroFails() {
            Evidence e = Verdicts.auditRows("doc-fra-001", Evidence.ok("SQL", "1 row(s): [0]"));
            assertThat(e.ok()).isFalse();
            assertThat(e.observed()).isEqualTo("0 row(s)");
        }

        @Test
        void noRowAtAllFails() {
            assertThat(Verdicts.auditRows("d", Evidence.ok("SQL", "0 row(s): []")).ok()).isFalse();
        }

        @Test
        void aFailedQueryIsPassedOnAsItIs() {
            Evidence failed = Evidence.failed("SQL", "ERROR: relation \"audit_log\" does not exist");
            assertThat(Verdicts.auditRows("d", failed)).isSameAs(failed);
        }

        @Test
        void somethingThatIsNotACountFails() {
            Evidence e = Verdicts.auditRows("d", Evidence.ok("SQL", "1 row(s): [many]"));
            assertThat(e.ok()).isFalse();
            assertThat(e.observed()).isEqualTo("not a count: many");
            assertThat(e.what()).isEqualTo("audit rows for d in dive_v3.audit_log");
        }
    }

    @Nested
    class Services {
        final Map<String, Integer> stages = Map.of("postgres-fra", 1, "kas-fra", 0, "backend-fra", 3);

        @Test
        void healthyOrRunningWithoutHealthcheckPasses() {
            Map<String, String> health = Map.of("postgres-fra", "healthy", "backend-fra", "running (no healthcheck)");
            Evidence e = Verdicts.servicesHealthy(List.of("postgres-fra", "backend-fra"),
                    Map.of("postgres-fra", "running", "backend-fra", "running"), stages, health::get);
            assertThat(e.ok()).isTrue();
            assertThat(e.what()).isEqualTo("services [postgres-fra, backend-fra] exist and are healthy");
            assertThat(e.observed()).isEqualTo("{postgres-fra=healthy, backend-fra=running (no healthcheck)}");
        }

        @Test
        void eachMissingServiceIsNamedWithWhy() {
            Map<String, String> existing = new LinkedHashMap<>();
            existing.put("postgres-fra", "running");
            Evidence e = Verdicts.servicesHealthy(List.of("postgres-fra", "kas-fra", "backend-fra", "opa-fra"),
                    existing, stages, k -> "healthy");
            assertThat(e.ok()).isFalse();
            assertThat(e.observed()).isEqualTo("missing containers: [kas-fra (in the template, but in no deployment stage), "
                    + "backend-fra (never created), opa-fra (not in the template)].\nContainers that exist: {postgres-fra=running}");
        }

        @Test
        void aStageBelowOneIsNoStage() {
            Evidence e = Verdicts.servicesHealthy(List.of("x"), Map.of(), Map.of("x", -1), k -> "healthy");
            assertThat(e.observed()).contains("x (in the template, but in no deployment stage)");
        }

        @Test
        void stageOneIsAStage() {
            Evidence e = Verdicts.servicesHealthy(List.of("x"), Map.of(), Map.of("x", 1), k -> "healthy");
            assertThat(e.observed()).contains("x (never created)");
        }

        @Test
        void anUnhealthyServiceIsNamedWithItsHealth() {
            Evidence e = Verdicts.servicesHealthy(List.of("postgres-fra", "backend-fra"),
                    Map.of("postgres-fra", "running", "backend-fra", "running"), stages,
                    k -> k.equals("backend-fra") ? "unhealthy" : "healthy");
            assertThat(e.ok()).isFalse();
            assertThat(e.observed()).startsWith("not healthy: [backend-fra: unhealthy].\nContainers that exist: ");
        }

        @Test
        void missingAndUnhealthyAreBothReported() {
            Evidence e = Verdicts.servicesHealthy(List.of("postgres-fra", "kas-fra"),
                    Map.of("postgres-fra", "running"), stages, k -> "starting");
            assertThat(e.ok()).isFalse();
            assertThat(e.observed()).startsWith("missing containers: [kas-fra (in the template, but in no deployment stage)]. "
                    + "not healthy: [postgres-fra: starting].\nContainers that exist: {postgres-fra=running}");
        }
    }

    @Nested
    class OpaDecisions {
        @Test
        void allowThenDenyPasses() {
            Evidence e = Verdicts.allowThenDeny("w", Evidence.ok("a", "result true"), Evidence.ok("d", "result false"));
            assertThat(e.ok()).isTrue();
            assertThat(e.what()).isEqualTo("w");
            assertThat(e.observed()).isEqualTo("allow case: result true; deny case: result false");
        }

        @Test
        void allowForBothFails() {
            assertThat(Verdicts.allowThenDeny("w", Evidence.ok("a", "result true"), Evidence.ok("d", "result true")).ok()).isFalse();
        }

        @Test
        void denyForBothFails() {
            assertThat(Verdicts.allowThenDeny("w", Evidence.ok("a", "result false"), Evidence.ok("d", "result false")).ok()).isFalse();
        }

        @Test
        void aFailedDecisionFailsEvenIfItsTextLooksRight() {
            assertThat(Verdicts.allowThenDeny("w", Evidence.failed("a", "result true"), Evidence.ok("d", "result false")).ok()).isFalse();
            assertThat(Verdicts.allowThenDeny("w", Evidence.ok("a", "result true"), Evidence.failed("d", "result false")).ok()).isFalse();
        }
    }
}
