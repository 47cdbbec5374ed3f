package dive.verify.deploy;

import sun.misc.Signal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The harness's SIGINT/SIGTERM handling: the first signal stops new work, lets the listeners record the
 * interruption and clean up, then exits; a second signal exits at once.
 *
 * <p>Why not a shutdown hook: a hook cannot tell a first signal from a second one. While hooks run the
 * JVM blocks every further {@code System.exit} (which its own signal handler calls), so a second Ctrl-C
 * during a slow or stuck cleanup would hang as well. With our own handler the second signal halts.
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported). Where that is not possible (-Xrs, or a runtime
 * without jdk.unsupported) {@link #install()} warns once and the JVM's default handling stays: exit
 * through the shutdown hooks, listeners not called. A signal already ignored when the JVM started
 * (nohup, a background job of a non-interactive shell) stays ignored, as it would without this class.
 */
public final class SignalGuard {

    /** Called once, on the first signal, on the "dive-verify-interrupt" thread, before the JVM exits. */
    public interface Listener {
        void interrupted(String signal);
    }

    private static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();
    /** "SIGINT"/"SIGTERM" once the first signal arrived; the compare-and-set tells first from second. */
    private static final AtomicReference<String> RECEIVED = new AtomicReference<>();
    private static boolean installed;

    private SignalGuard() {}

    /** Installs the handlers for SIGINT and SIGTERM; later calls do nothing. */
    public static synchronized void install() {
        if (installed) return;
        installed = true;
        try {
            for (String name : List.of("INT", "TERM")) {
                Signal.handle(new Signal(name), SignalGuard::onSignal);
            }
        } catch (IllegalArgumentException | LinkageError e) {
            // -Xrs: "Signal already used by VM or OS"; no jdk.unsupported: NoClassDefFoundError.
            System.err.println("[dive-verify] warning: cannot handle SIGINT/SIGTERM (" + e
                    + "); an interruption will not be recorded");
        }
    }

    public static void register(Listener listener) {
        LISTENERS.add(listener);
    }

    public static void unregister(Listener listener) {
        LISTENERS.remove(listener);
    }

    /** True once a first SIGINT/SIGTERM has arrived: start nothing new. */
    public static boolean requested() {
        return RECEIVED.get() != null;
    }

    /** "SIGINT" or "SIGTERM" (the first signal), or null. */
    public static String signal() {
        return RECEIVED.get();
    }

    /** Runs on a JVM signal thread: decide, print, hand the work to a thread of our own, return. */
    private static void onSignal(Signal sig) {
        String name = "SIG" + sig.getName();
        int status = 128 + sig.getNumber();
        if (!RECEIVED.compareAndSet(null, name)) {
            System.err.println("[dive-verify] second " + name + ": exiting at once; what still runs is left"
                    + " for the next run's sweep (./dive-verify clean)");
            Runtime.getRuntime().halt(status); // not exit(): that would wait for the first exit, forever
            return;
        }
        System.err.println("[dive-verify] " + name + " received: no new container will be started;"
                + " recording the interruption and cleaning up (send it again to exit at once)");
        Thread worker = new Thread(() -> runListenersAndExit(name, status), "dive-verify-interrupt");
        worker.setDaemon(false); // signal threads are daemons and a new thread would inherit that
        worker.start();
    }

    private static void runListenersAndExit(String name, int status) {
        try {
            for (Listener listener : LISTENERS) {
                try {
                    listener.interrupted(name);
                } catch (RuntimeException e) {
                    // One broken listener must not keep the others from cleaning up.
                    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
                    System.err.println("[dive-verify] interruption listener failed: " + message);
                }
            }
        } finally {
            System.exit(status); // even after an Error: an interrupted run must end
        }
    }
}
