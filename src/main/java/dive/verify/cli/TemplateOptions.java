package dive.verify.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options of the commands that render and load templates (deploy, explain). */
public final class TemplateOptions {
    @Mixin TemplateSource source;

    @Option(names = "--one-stage", description = "start every service in one stage, whatever its dive.deploy.stage label "
            + "(a file where no service has that label is refused without this)")
    boolean oneStage;

    @Option(names = "--compose-profile", paramLabel = "NAME", split = ",",
            description = "activate a compose profile (repeatable, or NAME,NAME; * activates all): a service with profiles: is "
                    + "deployed only when one of its profiles is active; by default none is, as in compose")
    java.util.List<String> composeProfiles = new java.util.ArrayList<>();

    Path templates() { return source.templates(); }

    String profile() { return source.profile(); }

    /** How the compose file is loaded, as these options say. */
    dive.verify.template.ComposeLoader.Options loaderOptions() {
        return dive.verify.template.ComposeLoader.Options.defaults().withOneStage(oneStage).withProfiles(composeProfiles);
    }
}
