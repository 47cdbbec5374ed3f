package dive.verify.cli;

import picocli.CommandLine.Option;

/** The options of every command, whatever it works on. */
public final class HelpOptions {
    @Option(names = "--debug", description = "on an error, print the stack trace as well")
    boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this usage and exit")
    boolean help;
}
