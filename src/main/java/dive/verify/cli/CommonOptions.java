package dive.verify.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every command has. */
public final class CommonOptions {
    @Option(names = "--instances", paramLabel = "DIR", defaultValue = "${sys:dive.repo.root:-.}/instances",
            description = "where instances live, one directory per code (default: ${DEFAULT-VALUE})")
    Path instances;

    @Option(names = "--debug", description = "on an error, print the stack trace as well")
    boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this usage and exit")
    boolean help;

    Path instances() { return instances.toAbsolutePath().normalize(); }
}
