package dive.reference.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DatabaseUrlTest {

    @Test
    void plainUrl() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://postgres:secret@postgres-fra:5432/dive_v3");
        assertEquals("jdbc:postgresql://postgres-fra:5432/dive_v3", u.jdbcUrl());
        assertEquals("postgres", u.user());
        assertEquals("secret", u.password());
        assertEquals("postgres-fra", u.host());
        assertEquals(5432, u.port());
        assertEquals("dive_v3", u.database());
    }

    @Test
    void percentEncodedPasswordIsDecodedButPlusIsKept() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://dive%40app:p%40ss%2Fw%3Ard+x@db:6543/audit");
        assertEquals("dive@app", u.user());
        assertEquals("p@ss/w:rd+x", u.password());
        assertEquals(6543, u.port());
    }

    @Test
    void rawBase64PasswordWithSlashAndEquals() {
        // what `openssl rand -base64 32` puts into the seed's generated DATABASE_URL
        DatabaseUrl u = DatabaseUrl.parse("postgresql://postgres:ab/cd+ef=@postgres-fra:5432/dive_v3");
        assertEquals("ab/cd+ef=", u.password());
        assertEquals("postgres-fra", u.host());
        assertEquals("jdbc:postgresql://postgres-fra:5432/dive_v3", u.jdbcUrl());
    }

    @Test
    void defaultsAndQuery() {
        DatabaseUrl u = DatabaseUrl.parse("postgres://keycloak@pg/kc?sslmode=disable");
        assertEquals("jdbc:postgresql://pg:5432/kc?sslmode=disable", u.jdbcUrl());
        assertEquals("keycloak", u.user());
        assertNull(u.password());
        DatabaseUrl v = DatabaseUrl.parse("postgresql://pg");
        assertEquals("jdbc:postgresql://pg:5432/postgres", v.jdbcUrl());
        assertNull(v.user());
    }

    @Test
    void ipv6Host() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://u:p@[::1]:5433/db");
        assertEquals("jdbc:postgresql://[::1]:5433/db", u.jdbcUrl());
    }

    @Test
    void invalidUrlsAreRejectedWithoutTheSecret() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatabaseUrl.parse("mysql://u:topsecret@h/db"));
        assertFalse(e.getMessage().contains("topsecret"));
        e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("postgresql://u:topsecret@h:99999/db"));
        assertFalse(e.getMessage().contains("topsecret"));
        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(""));
    }

    @Test
    void maskedFormsNeverShowThePassword() {
        DatabaseUrl u = DatabaseUrl.parse("postgresql://postgres:s3cr3t@postgres-fra:5432/dive_v3");
        assertEquals("postgresql://postgres:****@postgres-fra:5432/dive_v3", u.masked());
        assertFalse(u.toString().contains("s3cr3t"));
        assertEquals("mongodb://admin:****@mongodb-fra:27017/?authSource=admin",
                Redact.url("mongodb://admin:pa/ss@mongodb-fra:27017/?authSource=admin"));
        assertEquals("mongodb://mongodb-fra:27017", Redact.url("mongodb://mongodb-fra:27017"));
    }
}
