package dive.verify.instance;

import dive.verify.template.EnvFiles;
import dive.verify.template.Interpolator;
import dive.verify.template.TemplateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which image each service runs: {@code templates/images/<profile>.env} maps
 * {@code IMAGE_<SERVICE>} to an image reference. {@code kit} (the default)
 * names the offline kit's images; {@code upstream} the official ones.
 * Values may use the kit's pinned versions ({@code ${KIT_NS}}, {@code ${KIT_VERSION}}).
 */
public final class ImageProfile {
    private ImageProfile() {}

    public static Map<String, String> load(Path templatesDir, String profile) {
        if (profile == null || !profile.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("image profile \"" + profile + "\" is invalid: expected a name like kit or upstream");
        }
        Path file = templatesDir.resolve("images").resolve(profile + ".env");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("image profile \"" + profile + "\" not found: expected " + file);
        }
        Map<String, String> versions = EnvFiles.read(templatesDir.resolve("kit/versions.env"), file.toString(), 0);
        Interpolator interpolator = new Interpolator(versions::get);
        Map<String, String> out = new LinkedHashMap<>();
        EnvFiles.read(file, file.toString(), 0).forEach((k, v) -> {
            String image = interpolator.interpolate(v, new Interpolator.Location(file.toString(), 0));
            if (image.isBlank()) throw new TemplateException(file.toString(), 0, k + " names no image");
            out.put(k, image);
        });
        return out;
    }
}
