package dive.verify.cli;

import dive.verify.instance.Instance;
import dive.verify.instance.InstanceInit;
import dive.verify.template.ComposeLoader;
import dive.verify.template.DeploymentPlan;
import dive.verify.template.ServiceSpec;
import dive.verify.template.TemplateException;
import dive.verify.template.TemplateProblems;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Validation that needs a rendered instance, done without creating one: the
 * template is rendered into a temporary directory (with the existing
 * instance's settings and secrets, when there is one), its compose file is
 * loaded, and the directory is removed again, whatever happened. Problems
 * name the template's own files, never the temporary ones.
 */
final class Preflight {
    /** Where the temporary directories go; null: the system's. Set by tests. */
    static Path tempParent;

    private Preflight() {}

    /**
     * Renders {@code kind code} as {@link InstanceInit} would, hands the temporary instance to
     * {@code use}, then removes it.
     *
     * @param existing the real instance directory of this code, whose instance.properties and .env
     *                 are used so ports and secrets are those of the real instance; may not exist
     * @throws BadInput for any problem of the template or its inputs
     */
    static <T> T withRendered(Path templates, String profile, String kind, String code, String name, Path existing,
                              Function<Instance, T> use) {
        Path tmp;
        try {
            tmp = tempParent == null ? Files.createTempDirectory("dive-verify-preflight-")
                    : Files.createTempDirectory(tempParent, "dive-verify-preflight-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        Path instances = tmp.resolve("instances");
        Path renderedDir = instances.resolve(code.toLowerCase(java.util.Locale.ROOT));
        Path templateDir = templates.resolve(kind);
        try {
            if (existing != null && Files.isRegularFile(existing.resolve(InstanceInit.PROPERTIES))) {
                Files.createDirectories(renderedDir);
                for (String f : List.of(InstanceInit.PROPERTIES, ".env")) {
                    if (Files.exists(existing.resolve(f))) {
                        Files.copy(existing.resolve(f), renderedDir.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            InstanceInit.Result r = new InstanceInit(templates, instances).init(kind, code, name, profile);
            return use.apply(Instance.load(r.directory()));
        } catch (TemplateException e) {
            throw new BadInput(lines(e).stream().map(l -> mapPaths(l, renderedDir, templateDir)).toList());
        } catch (BadInput e) {
            throw new BadInput(e.lines().stream().map(l -> mapPaths(l, renderedDir, templateDir)).toList());
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw new BadInput(mapPaths(String.valueOf(e.getMessage()), renderedDir, templateDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the validation of " + kind + " " + code + ": " + e.getMessage(), e);
        } finally {
            delete(tmp);
        }
    }

    /**
     * Loads a compose file as a deployment would.
     *
     * @throws BadInput with one line per problem of the file
     */
    static DeploymentPlan load(Path compose, Map<String, String> variables, ComposeLoader.Options options) {
        try {
            return ComposeLoader.load(compose, new HashMap<>(variables), options);
        } catch (TemplateException e) {
            throw new BadInput(lines(e));
        }
    }

    static List<String> lines(TemplateException e) {
        return e instanceof TemplateProblems p ? p.lines() : List.of(e.getMessage());
    }

    /** The one-line warning for a file where some services, but not all, have a stage; null when there is none. */
    static String unstagedWarning(DeploymentPlan plan) {
        List<ServiceSpec> unstaged = plan.unstaged();
        if (unstaged.isEmpty()) return null;
        return "WARNING: " + unstaged.stream().map(ServiceSpec::key).collect(Collectors.joining(", "))
                + (unstaged.size() == 1 ? " has" : " have") + " no " + ServiceSpec.STAGE_LABEL
                + " label: no stage will start " + (unstaged.size() == 1 ? "it" : "them")
                + " (the checks will name " + (unstaged.size() == 1 ? "it" : "them") + " as in no deployment stage)";
    }

    private static final Pattern PATH_CHARS = Pattern.compile("[^\\s:\"',;()\\[\\]]+");

    /** Replaces paths inside the temporary instance by the template files they were rendered from. */
    static String mapPaths(String line, Path renderedDir, Path templateDir) {
        String prefix = renderedDir.toString() + "/";
        StringBuilder out = new StringBuilder();
        int at = 0;
        int i;
        while ((i = line.indexOf(prefix, at)) >= 0) {
            out.append(line, at, i);
            Matcher m = PATH_CHARS.matcher(line).region(i + prefix.length(), line.length());
            String rel = m.lookingAt() ? m.group() : "";
            out.append(templateFile(templateDir, rel));
            at = i + prefix.length() + rel.length();
        }
        out.append(line.substring(at));
        String rest = out.toString();
        // anything else of the temporary directory: the template directory is the nearest real place
        return rest.replace(renderedDir.toString(), templateDir.toString());
    }

    private static String templateFile(Path templateDir, String rel) {
        if (rel.isEmpty()) return templateDir.toString();
        Path same = templateDir.resolve(rel);
        if (Files.exists(same)) return same.toString();
        Path p = Path.of(rel);
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            Path template = templateDir.resolve(rel).resolveSibling(name.substring(0, dot) + ".template" + name.substring(dot));
            if (Files.exists(template)) return template.toString();
        }
        return same.toString();
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the temporary directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
