package dive.verify.instance;

import dive.verify.template.Placeholders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An operator's own compose file, placed into an initialised instance: its
 * {@code {{PLACEHOLDERS}}} (code, name, images of the instance's profile) are
 * rendered as for the templates, and its {@code ${VARIABLES}} are left for
 * deploy time, when the instance's .env supplies them.
 */
public final class OperatorCompose {
    private OperatorCompose() {}

    /** Renders {@code source} beside the instance's compose file; returns the rendered file. */
    public static Path place(Instance instance, Path templatesDir, String profile, Path source) {
        Map<String, String> values = new LinkedHashMap<>(ImageProfile.load(templatesDir, profile));
        values.put("INSTANCE_CODE_UPPER", instance.code().upper());
        values.put("INSTANCE_CODE_LOWER", instance.code().lower());
        values.put("INSTANCE_NAME", instance.name());
        try {
            String rendered = Placeholders.render(Files.readString(source), values, source.toString());
            Path out = instance.dir().resolve("operator-" + source.getFileName());
            Files.writeString(out, rendered);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot place the operator's file " + source + ": " + e.getMessage(), e);
        }
    }
}
