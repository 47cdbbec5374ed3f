package dive.verify.cli;

import dive.verify.deploy.DeploymentFailure;
import dive.verify.report.Secrets;
import dive.verify.template.TemplateException;
import dive.verify.template.TemplateProblems;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * What the commands share: exit codes, and how an error becomes output. Every
 * error is one line per problem naming the input and what was expected, never
 * a stack trace unless {@code --debug} asks for one.
 */
public final class Cli {
    /** Deployed, verified, explained or valid. */
    public static final int OK = 0;
    /** The deployment or a check failed, or something it needs (the engine, the hub) did not answer. */
    public static final int FAILED = 1;
    /** Bad input (arguments, codes, kinds, templates, files): refused before anything was created. */
    public static final int BAD_INPUT = 2;

    private Cli() {}

    /**
     * Exits with {@code code}; after a SIGINT/SIGTERM the signal's own thread is left to record the interruption,
     * clean up (or keep) and exit with 130/143: exiting here first would cut its cleanup short.
     */
    public static void exit(int code) {
        if (dive.verify.deploy.SignalGuard.requested()) {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        System.exit(code);
    }

    /** Runs {@code command} on System.out and System.err. */
    public static int execute(Object command, String... args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        return execute(command, args, out, err);
    }

    public static int execute(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(out);
        cl.setErr(err);
        cl.setUsageHelpAutoWidth(true);
        String prefix = "[" + cl.getCommandName() + "] ";
        cl.setParameterExceptionHandler((e, a) -> {
            err.println(prefix + Secrets.redact(String.valueOf(e.getMessage()).replaceFirst("^Error: ", "")) + " (see --help)");
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            boolean debug = parsed.hasMatchedOption("--debug");
            int code = report(e, prefix, err, debug);
            err.flush();
            return code;
        });
        return cl.execute(args);
    }

    /** Prints {@code e} as the user should see it and returns its exit code. */
    static int report(Throwable e, String prefix, PrintWriter err, boolean debug) {
        int code;
        List<String> lines;
        if (e instanceof BadInput b) {
            code = BAD_INPUT;
            lines = b.lines();
        } else if (e instanceof TemplateProblems p) {
            code = BAD_INPUT;
            lines = p.lines();
        } else if (e instanceof TemplateException) {
            code = BAD_INPUT;
            lines = List.of(e.getMessage());
        } else if (e instanceof DeploymentFailure) {
            code = FAILED;
            lines = List.of(e.getMessage().stripTrailing());
        } else {
            code = FAILED;
            lines = List.of(oneLine(e) + (debug ? "" : " (run with --debug for the stack trace)"));
        }
        for (String line : lines) err.println(prefix + Secrets.redact(line));
        if (debug) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(Secrets.redact(trace.toString()));
        }
        return code;
    }

    /** The first line of a throwable's message, with its cause's when that says more. */
    static String oneLine(Throwable e) {
        String m = firstLine(e.getMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String r = root == e ? null : firstLine(root.getMessage());
        String what = m != null ? m : e.getClass().getSimpleName();
        if (r != null && !what.contains(r)) what += ": " + r;
        return what;
    }

    static String firstLine(String s) {
        if (s == null || s.isBlank()) return null;
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip() + " …";
    }
}
