package dive.verify.cli;

import java.io.IOException;
import java.util.List;

/**
 * What the {@code ./dive-verify} wrapper needs done before a deployment creates
 * anything: the engine started, the image kit checked. The wrapper names it in
 * {@code -Ddive.prepare}; the command runs it once its inputs are valid, so bad
 * input still fails before anything is started, and one JVM does both (a second
 * JVM only to validate cost about a second of every command).
 */
final class Preparation {
    static final String PROPERTY = "dive.prepare";

    private Preparation() {}

    /** 0 when there is nothing to do or it succeeded; else 1 (its own output has said why). */
    static int run() {
        String command = System.getProperty(PROPERTY);
        if (command == null || command.isBlank()) return Cli.OK;
        try {
            Process p = new ProcessBuilder(List.of("bash", "-c", command)).inheritIO().start();
            return p.waitFor() == 0 ? Cli.OK : Cli.FAILED;
        } catch (IOException e) {
            System.err.println("[deploy] ERROR: cannot prepare the engine and the kit (" + command + "): " + e.getMessage());
            return Cli.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cli.FAILED;
        }
    }
}
