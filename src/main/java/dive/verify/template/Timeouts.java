package dive.verify.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deploy timeouts an operator sets in a properties file. Precedence for a
 * service: {@code service.<key>}, then {@code kind.<kind>}, then the template
 * label or the contract's default ({@link ServiceSpec#startBudget()}). For a
 * stage: {@code stage.<n>}, then {@code stage.default}, then
 * {@link StartBudgets#OVERALL}.
 */
public final class Timeouts {
    private static final String KNOWN_KEYS =
            "expected service.<service>, kind.<kind>, stage.<n> (n = 1, 2, ...) or stage.default";
    private static final Pattern STAGE_KEY = Pattern.compile("stage\\.([1-9]\\d{0,8})");
    // Signed, so that "-5" is reported as not positive rather than as not a duration.
    private static final Pattern SECONDS = Pattern.compile("[+-]?\\d{1,18}");

    private final Path file;
    private final Map<String, Duration> services;
    private final Map<String, Duration> kinds;
    private final Map<Integer, Duration> stages;
    private final Duration stageDefault;

    private Timeouts(Path file, Map<String, Duration> services, Map<String, Duration> kinds,
                     Map<Integer, Duration> stages, Duration stageDefault) {
        this.file = file;
        this.services = services;
        this.kinds = kinds;
        this.stages = stages;
        this.stageDefault = stageDefault;
    }

    /** No timeouts file: template labels and contract defaults only. */
    public static Timeouts none() {
        return new Timeouts(null, Map.of(), Map.of(), Map.of(), null);
    }

    /** Reads {@code file}; any bad key or value is an {@link IllegalArgumentException} naming it. */
    public static Timeouts load(Path file) {
        String name = file.toString();
        if (!Files.exists(file)) throw new IllegalArgumentException(name + ": file does not exist");
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) { // Properties rejects a malformed unicode escape
            throw new IllegalArgumentException(name + ": malformed properties file: " + e.getMessage());
        }
        Map<String, Duration> services = new TreeMap<>();
        Map<String, Duration> kinds = new TreeMap<>();
        Map<Integer, Duration> stages = new TreeMap<>();
        Duration stageDefault = null;
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            String value = props.getProperty(key);
            Matcher stage = STAGE_KEY.matcher(key);
            if (key.startsWith("service.") && key.length() > "service.".length()) {
                services.put(key.substring("service.".length()), duration(name, key, value));
            } else if (key.startsWith("kind.") && key.length() > "kind.".length()) {
                kinds.put(key.substring("kind.".length()), duration(name, key, value));
            } else if (stage.matches()) {
                stages.put(Integer.parseInt(stage.group(1)), duration(name, key, value));
            } else if (key.equals("stage.default")) {
                stageDefault = duration(name, key, value);
            } else {
                throw new IllegalArgumentException(name + ": \"" + key + "\" is not a known key (value \""
                        + value + "\"): " + KNOWN_KEYS);
            }
        }
        return new Timeouts(file, services, kinds, stages, stageDefault);
    }

    private static Duration duration(String name, String key, String value) {
        String text = value.trim();
        Duration d;
        try {
            d = SECONDS.matcher(text).matches() ? Duration.ofSeconds(Long.parseLong(text)) : Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + key + " = \"" + value
                    + "\" is not a duration: expected e.g. 90s, 2m, 1m30s or 90 (seconds)");
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + key + " = \"" + value
                    + "\" is not positive: expected a duration greater than zero, e.g. 90s");
        }
        return d;
    }

    /**
     * Fails when a {@code service.X} or {@code stage.N} entry matches nothing in
     * the deployment, which is almost always a typo that would silently not apply.
     * {@code kind.X} is not checked: one file may serve templates with different kinds.
     */
    public void validateAgainst(Collection<String> serviceKeys, Collection<Integer> stageNumbers) {
        for (var e : services.entrySet()) {
            if (!serviceKeys.contains(e.getKey())) {
                throw new IllegalArgumentException(file + ": service." + e.getKey() + " = " + format(e.getValue())
                        + " names no service of this deployment: known services are " + new TreeSet<>(serviceKeys));
            }
        }
        for (var e : stages.entrySet()) {
            if (!stageNumbers.contains(e.getKey())) {
                throw new IllegalArgumentException(file + ": stage." + e.getKey() + " = " + format(e.getValue())
                        + " names no stage of this deployment: known stages are " + new TreeSet<>(stageNumbers));
            }
        }
    }

    public Duration serviceBudget(ServiceSpec s) {
        Duration d = services.get(s.key());
        if (d != null) return d;
        d = kinds.get(s.kind());
        return d != null ? d : s.startBudget();
    }

    /** Where {@link #serviceBudget} came from, for messages. */
    public String serviceBudgetSource(ServiceSpec s) {
        if (services.containsKey(s.key())) return file.getFileName() + " service." + s.key();
        if (kinds.containsKey(s.kind())) return file.getFileName() + " kind." + s.kind();
        return "template label/contract default";
    }

    /** Budget for a whole stage, all its services together. */
    public Duration stageBudget(int stage) {
        Duration d = stages.get(stage);
        if (d != null) return d;
        return stageDefault != null ? stageDefault : StartBudgets.OVERALL;
    }

    /** Where {@link #stageBudget} came from, for messages. */
    public String stageBudgetSource(int stage) {
        if (stages.containsKey(stage)) return file.getFileName() + " stage." + stage;
        if (stageDefault != null) return file.getFileName() + " stage.default";
        return "contract overall health wait";
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The overrides, for the report. */
    @Override
    public String toString() {
        if (file == null) return "no deploy timeouts file";
        List<String> entries = new ArrayList<>();
        services.forEach((k, d) -> entries.add("service." + k + "=" + format(d)));
        kinds.forEach((k, d) -> entries.add("kind." + k + "=" + format(d)));
        stages.forEach((n, d) -> entries.add("stage." + n + "=" + format(d)));
        if (stageDefault != null) entries.add("stage.default=" + format(stageDefault));
        return file + ": " + (entries.isEmpty() ? "no overrides" : String.join(", ", entries));
    }

    // Whole seconds as the file usually gives them; sub-second values keep their precision.
    private static String format(Duration d) {
        return d.getNano() == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
