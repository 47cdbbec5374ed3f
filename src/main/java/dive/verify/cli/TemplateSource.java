package dive.verify.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the templates are and which image profile renders them: every command that makes instances (deploy, explain, bench). */
public final class TemplateSource {
    @Option(names = "--templates", paramLabel = "DIR", defaultValue = "${sys:dive.repo.root:-.}/templates",
            description = "the templates: DIR/hub, DIR/spoke, DIR/images (default: ${DEFAULT-VALUE})")
    Path templates;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "${sys:dive.image.profile:-kit}",
            description = "image profile, templates/images/NAME.env: kit or upstream (default: ${DEFAULT-VALUE})")
    String profile;

    Path templates() { return templates.toAbsolutePath().normalize(); }

    String profile() { return profile; }
}
