package dive.verify.reference.mongodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MongodMainTest {

    @Test
    void templateFlags() {
        MongodMain.Cli cli = MongodMain.parse(new String[] {"--replSet", "rs0", "--bind_ip_all"});
        assertNull(cli.error());
        assertEquals("rs0", cli.replSet());
        assertTrue(cli.bindAll());
        StandinConfig c = MongodMain.configure(cli, Map.of());
        assertEquals(List.of("0.0.0.0"), c.bindAddresses());
        assertEquals(27017, c.port());
        assertFalse(c.auth());
    }

    @Test
    void bindIpPortAndEqualsForm() {
        MongodMain.Cli cli = MongodMain.parse(new String[] {"--bind_ip", "localhost,10.0.0.1", "--port=27018", "--auth"});
        assertNull(cli.error());
        StandinConfig c = MongodMain.configure(cli, Map.of());
        assertEquals(List.of("127.0.0.1", "10.0.0.1"), c.bindAddresses());
        assertEquals(27018, c.port());
        assertTrue(c.auth());
        assertNull(c.replSetName());
    }

    @Test
    void unknownFlagExitsTwoWithOneClearLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MongodMain.run(new String[] {"--replSet", "rs0", "--shardsvr"}, Map.of(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(
                "Error parsing command line: unrecognised option '--shardsvr'"), err.toString(StandardCharsets.UTF_8));
        assertNotNull(MongodMain.parse(new String[] {"--port"}).error());
        assertNotNull(MongodMain.parse(new String[] {"--port", "abc"}).error());
    }

    @Test
    void keyFileMustExistAndBeReadable(@TempDir Path dir) throws Exception {
        MongodMain.Cli missing = MongodMain.parse(new String[] {"--keyFile", dir.resolve("nope").toString()});
        assertThrows(IllegalArgumentException.class, () -> MongodMain.configure(missing, Map.of()));
        Path key = Files.writeString(dir.resolve("key"), "abcdefabcdef");
        MongodMain.Cli ok = MongodMain.parse(new String[] {"--keyFile", key.toString()});
        assertNotNull(MongodMain.configure(ok, Map.of()));
    }

    @Test
    void officialEnvironmentEnablesAuth(@TempDir Path dir) throws Exception {
        MongodMain.Cli cli = MongodMain.parse(new String[0]);
        StandinConfig c = MongodMain.configure(cli, Map.of("MONGO_INITDB_ROOT_USERNAME", "admin",
                "MONGO_INITDB_ROOT_PASSWORD", "s3cret", "MONGO_INITDB_DATABASE", "dive-v3-fra",
                "STANDIN_SECONDARY_MS", "250"));
        assertTrue(c.auth());
        assertEquals("admin", c.rootUser());
        assertEquals("dive-v3-fra", c.initDatabase());
        assertEquals(250, c.secondaryMs());
        assertFalse(c.toString().contains("s3cret"));

        Path pw = Files.writeString(dir.resolve("pw"), "fromfile\n");
        StandinConfig f = MongodMain.configure(cli, Map.of("MONGO_INITDB_ROOT_USERNAME", "admin",
                "MONGO_INITDB_ROOT_PASSWORD_FILE", pw.toString()));
        assertEquals("fromfile", new String(f.rootPassword()));

        assertThrows(IllegalArgumentException.class, () -> MongodMain.configure(cli,
                Map.of("MONGO_INITDB_ROOT_USERNAME", "admin")));
        assertThrows(IllegalArgumentException.class, () -> MongodMain.configure(cli,
                Map.of("STANDIN_SECONDARY_MS", "soon")));
    }
}
