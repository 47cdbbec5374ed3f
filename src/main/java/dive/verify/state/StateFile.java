package dive.verify.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The state file of an instance ({@code deploy-state.json} in its directory).
 * Every write replaces the whole file atomically ({@link AtomicFile}), so a
 * kill at any moment leaves the previous or the next state, never a torn one.
 */
public final class StateFile {
    public static final String NAME = "deploy-state.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path path;

    public StateFile(Path instanceDir) { this.path = instanceDir.resolve(NAME); }

    public Path path() { return path; }

    public Optional<DeploymentState> read() {
        Optional<byte[]> bytes = AtomicFile.read(path);
        if (bytes.isEmpty()) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(bytes.get(), DeploymentState.class));
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalStateException(path + " is not a readable deployment state (" + why
                    + "); delete it to deploy from scratch");
        }
    }

    public synchronized void write(DeploymentState state) {
        try {
            AtomicFile.write(path, JSON.writeValueAsBytes(state));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
