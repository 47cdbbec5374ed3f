package dive.verify.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlProbeTest {
    @ParameterizedTest
    @ValueSource(strings = {"audit_log", "resource_id", "dive_v3", "_x", "a", "t0"})
    void plainIdentifiersAreAccepted(String name) {
        assertThat(SqlProbe.identifier(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Audit_log", "0table", "audit-log", "audit log", "audit_log;", "audit_log; DROP TABLE x",
            "\"audit_log\"", "a.b", "audit_log--", "x'", "audit_log\n", "\naudit_log", "é"})
    void anythingElseIsRefused(String name) {
        assertThatThrownBy(() -> SqlProbe.identifier(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("refusing \"" + name + "\" as an SQL identifier: only ^[a-z_][a-z0-9_]*$ is accepted");
    }

    @Test
    void theCountQueryHasTheValueAsAParameter() {
        assertThat(SqlProbe.countWhere("audit_log", "resource_id")).isEqualTo("SELECT count(*) FROM audit_log WHERE resource_id = ?");
    }

    @Test
    void theCountQueryRefusesABadTableOrColumn() {
        assertThatThrownBy(() -> SqlProbe.countWhere("audit_log WHERE 1=1 --", "resource_id")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlProbe.countWhere("audit_log", "resource_id = resource_id OR 1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBadIdentifierFailsTheCountBeforeAnyConnection() {
        // port 1 on localhost: a connection attempt would say "Connection refused"; the refusal comes first
        Evidence e = SqlProbe.count("localhost", 1, "dive_v3", "postgres", "pw", "audit_log; DROP TABLE audit_log", "resource_id", "x");
        assertThat(e.ok()).isFalse();
        assertThat(e.what()).isEqualTo("count of audit_log; DROP TABLE audit_log rows where resource_id = ?");
        assertThat(e.observed()).startsWith("refusing \"audit_log; DROP TABLE audit_log\" as an SQL identifier");
    }

    @Test
    void aBadDatabaseNameFailsBeforeAnyConnection() {
        Evidence e = SqlProbe.query("localhost", 1, "dive_v3?user=other", "postgres", "pw", "SELECT 1");
        assertThat(e.ok()).isFalse();
        assertThat(e.what()).isEqualTo("SQL \"SELECT 1\" on postgres@localhost:1/dive_v3?user=other");
        assertThat(e.observed()).startsWith("refusing \"dive_v3?user=other\" as an SQL identifier");
    }

    @Test
    void theParametersAreNamedInWhatWasAsked() {
        Evidence e = SqlProbe.query("localhost", 1, "dive_v3", "postgres", "pw", "SELECT ? ", "it's");
        assertThat(e.what()).isEqualTo("SQL \"SELECT ? \" with [it's] on postgres@localhost:1/dive_v3");
        assertThat(e.ok()).isFalse();
    }

    @Test
    void scalarIsTheFirstColumnOfTheFirstRow() {
        assertThat(SqlProbe.scalar(Evidence.ok("q", "2 row(s): [7|a, 8|b]"))).isEqualTo("7");
        assertThat(SqlProbe.scalar(Evidence.ok("q", "1 row(s): [42]"))).isEqualTo("42");
    }

    @Test
    void scalarOfNothingIsNull() {
        assertThat(SqlProbe.scalar(Evidence.ok("q", "0 row(s): []"))).isNull();
        assertThat(SqlProbe.scalar(Evidence.failed("q", "[1]"))).isNull();
        assertThat(SqlProbe.scalar(Evidence.ok("q", "no brackets"))).isNull();
        assertThat(SqlProbe.scalar(Evidence.ok("q", "] reversed ["))).isNull();
    }
}
