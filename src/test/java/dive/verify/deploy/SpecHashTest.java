package dive.verify.deploy;

import dive.verify.template.HostSettings;
import dive.verify.template.ServiceSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A deployment recorded before profiles and host settings were honoured still resumes: its services keep their fingerprints. */
class SpecHashTest {
    private static ServiceSpec spec(List<String> profiles, HostSettings host) {
        return new ServiceSpec("a", "img", null, List.of("run"), null, Map.of("A", "1"), List.of(), List.of(), null, Map.of(),
                List.of(), Map.of("default", List.of()), Map.of(), null, null, null, List.of(), List.of(), 1, null, false,
                profiles, host);
    }

    @Test
    void aServiceWithoutTheNewKeysKeepsItsFingerprint() throws Exception {
        // what the record printed before it had profiles and host: everything up to oneShot
        String before = "ServiceSpec[key=a, image=img, containerName=null, command=[run], entrypoint=null, environment={A=1}, ports=[], "
                + "expose=[], healthcheck=null, dependsOn={}, volumes=[], networks={default=[]}, labels={}, restart=null, user=null, "
                + "workingDir=null, tmpfs=[], postStart=[], stage=1, startBudget=null, oneShot=false]";
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(before.getBytes(StandardCharsets.UTF_8)));
        assertThat(Resume.specHash(spec(List.of(), HostSettings.NONE))).isEqualTo(sha);
    }

    @Test
    void theNewKeysChangeTheFingerprint() {
        String plain = Resume.specHash(spec(List.of(), HostSettings.NONE));
        assertThat(Resume.specHash(spec(List.of("debug"), HostSettings.NONE))).isNotEqualTo(plain);
        assertThat(Resume.specHash(spec(List.of(), new HostSettings(List.of(), true, List.of(), List.of(), null, null)))).isNotEqualTo(plain);
    }
}
