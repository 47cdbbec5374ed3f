package dive.verify.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options of the commands that work on instances: where they live, and the options of every command. */
public final class CommonOptions {
    @Option(names = "--instances", paramLabel = "DIR", defaultValue = "${sys:dive.repo.root:-.}/instances",
            description = "where instances live, one directory per code (default: ${DEFAULT-VALUE})")
    Path instances;

    @Mixin HelpOptions basics;

    Path instances() { return instances.toAbsolutePath().normalize(); }
}
