package dive.verify.report;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** A secret planted on purpose is found by the scan, in every encoding; a clean report passes. */
class LeakScanTest {
    @TempDir Path report;
    static final String SECRET = "pl@nted secret/value+42";

    @AfterEach
    void clear() { Secrets.clear(); }

    @Test
    void cleanReportPasses() throws IOException {
        Secrets.register(SECRET);
        Files.writeString(report.resolve("a.json"), "{\"step\":\"password is ***\"}");
        assertThat(LeakScan.scan(report)).isEmpty();
    }

    @Test
    void findsAPlantedSecretPlainUrlAndBase64Encoded() throws IOException {
        Secrets.register(SECRET);
        Files.writeString(report.resolve("plain.txt"), "x " + SECRET + " y");
        Files.writeString(report.resolve("url.html"), "?p=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8));
        Files.writeString(report.resolve("b64.json"), Base64.getEncoder().withoutPadding().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(report.resolve("b64url.json"), Base64.getUrlEncoder().withoutPadding().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
        var leaks = LeakScan.scan(report);
        assertThat(leaks).extracting(l -> l.file().getFileName().toString())
                .containsExactlyInAnyOrder("plain.txt", "url.html", "b64.json", "b64url.json");
        assertThat(leaks.toString()).doesNotContain(SECRET).doesNotContain("pl@");
    }

    @Test
    void anIssuedTokenLeftByARunIsFoundInTheReport(@TempDir Path work) throws IOException {
        // a run registers the tokens it was issued and leaves them for the scan of the finished report
        String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0dXNlci11c2EtMyJ9.c2lnbmF0dXJlLW9mLXRoZS1yZWFsbQ";
        Secrets.register(token);
        Path file = work.resolve("run-1").resolve(Secrets.RUNTIME_FILE);
        Secrets.writeFor(file);
        assertThat(java.nio.file.Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        Secrets.clear();

        Files.writeString(report.resolve("step.json"), "{\"attachment\":\"Authorization: Bearer " + token + "\"}");
        assertThat(LeakScan.scan(report)).as("nothing is known before the run's file is read").isEmpty();
        assertThat(LeakScan.loadRuntimeSecrets(work)).containsExactly(file);
        assertThat(LeakScan.scan(report)).extracting(l -> l.file().getFileName().toString()).containsExactly("step.json");
    }

    @Test
    void redactionCoversPlainAndUrlEncodedForms() {
        Secrets.register(SECRET);
        assertThat(Secrets.redact("a " + SECRET + " b " + URLEncoder.encode(SECRET, StandardCharsets.UTF_8))).isEqualTo("a *** b ***");
    }
}
