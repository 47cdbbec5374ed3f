package dive.verify.template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads dotenv files ({@code KEY=value}, comments, blank lines, optional quotes),
 * the format of an instance's {@code .env} and of compose {@code env_file}.
 */
public final class EnvFiles {
    private EnvFiles() {}

    public static Map<String, String> read(Path path, String referencedFrom, int line) {
        try {
            return parse(Files.readAllLines(path), path.toString());
        } catch (IOException e) {
            throw new TemplateException(referencedFrom, line, "cannot read env file " + path + ": " + e.getMessage());
        }
    }

    public static Map<String, String> parse(List<String> lines, String fileName) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            if (l.startsWith("export ")) l = l.substring(7).strip();
            int eq = l.indexOf('=');
            if (eq <= 0) throw new TemplateException(fileName, i + 1, "expected KEY=value");
            String key = l.substring(0, eq).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new TemplateException(fileName, i + 1, "invalid variable name \"" + key + "\"");
            String value = l.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            out.put(key, value);
        }
        return out;
    }
}
