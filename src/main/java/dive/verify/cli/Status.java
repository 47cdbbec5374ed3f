package dive.verify.cli;

import dive.verify.federation.SpokeStatus;
import dive.verify.instance.Instance;
import dive.verify.instance.InstanceCode;
import dive.verify.instance.InstanceInit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code spoke status}: a spoke's registration at the hub (found by the kind
 * it was created as) and the health of its containers.
 */
@Command(name = "status", sortOptions = false, usageHelpAutoWidth = true,
        description = "Prints a spoke's registration at the hub and the health of its containers.",
        footer = {"", "Exit codes: 0 printed; 1 the engine did not answer;",
                "            2 bad input (no such spoke, no hub)."})
public final class Status implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CODE", description = "the spoke's instance code, e.g. FRA")
    String code;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Cli.execute(new Status(), args));
    }

    @Override
    public Integer call() {
        Instance hub, spoke;
        try {
            InstanceCode ic = InstanceCode.of(code);
            Path instances = common.instances();
            Path dir = instances.resolve(ic.lower());
            if (!Files.isRegularFile(dir.resolve(InstanceInit.PROPERTIES))) {
                throw new BadInput("no instance " + ic + " in " + instances + ": expected a spoke deployed before (./dive-verify deploy spoke " + ic + ")");
            }
            String kind = InstanceInit.recordedKind(dir);
            if (!"spoke".equals(kind)) {
                throw new BadInput("instance " + ic + " in " + dir + " was created as a " + kind + ", not a spoke: status reports a spoke");
            }
            spoke = Instance.load(dir);
            hub = Instance.load(Deploy.hub(instances, ic));
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new BadInput(String.valueOf(e.getMessage()));
        }
        PrintWriter out = spec.commandLine().getOut();
        try {
            out.print(SpokeStatus.read(hub, spoke).format());
            out.flush();
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("[status] cannot read the status of spoke " + spoke.code()
                    + " from the engine: " + Cli.oneLine(e) + "; is an engine running? (scripts/docker-engine.sh)");
            return Cli.FAILED;
        }
        return Cli.OK;
    }
}
