package dive.verify.cli;

import dive.verify.federation.SpokeStatus;
import dive.verify.instance.Instance;

import java.nio.file.Path;

/**
 * {@code spoke status}: prints a spoke's registration and container health.
 * <pre>java dive.verify.cli.Status HUB_INSTANCE_DIR SPOKE_INSTANCE_DIR</pre>
 */
public final class Status {
    private Status() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: Status HUB_INSTANCE_DIR SPOKE_INSTANCE_DIR (e.g. instances/usa instances/fra)");
            System.exit(2);
        }
        try {
            System.out.print(SpokeStatus.read(Instance.load(Path.of(args[0])), Instance.load(Path.of(args[1]))).format());
        } catch (RuntimeException e) {
            System.err.println("[status] " + e.getMessage());
            System.exit(1);
        }
    }
}
