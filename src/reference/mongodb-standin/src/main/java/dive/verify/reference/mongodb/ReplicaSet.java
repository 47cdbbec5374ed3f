package dive.verify.reference.mongodb;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * State of the one-node replica set: uninitialized until replSetInitiate,
 * then SECONDARY for a moment, then PRIMARY; replSetStepDown makes it
 * SECONDARY for a while, after which it elects itself again.
 */
final class ReplicaSet implements AutoCloseable {

    enum MemberState {
        STARTUP(0, "STARTUP"), PRIMARY(1, "PRIMARY"), SECONDARY(2, "SECONDARY");

        final int code;
        final String str;

        MemberState(int code, String str) {
            this.code = code;
            this.str = str;
        }
    }

    /** A snapshot, so that one reply is consistent in itself. */
    record Snapshot(String setName, MemberState state, boolean initiated, String memberName, long term,
                    int configVersion, Instant electionTime, Instant stateSince) {
        boolean primary() {
            return state == MemberState.PRIMARY;
        }
    }

    private final String setName;
    private final long secondaryMs;
    private final long minStepDownMs;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "replset-timer");
        t.setDaemon(true);
        return t;
    });

    private MemberState state = MemberState.STARTUP;
    private boolean initiated;
    private String memberName;
    private long term;
    private int configVersion;
    private Instant electionTime;
    private Instant stateSince = Instant.now();
    private ScheduledFuture<?> pendingElection;

    ReplicaSet(String setName, long secondaryMs, long minStepDownMs) {
        this.setName = setName;
        this.secondaryMs = Math.max(0, secondaryMs);
        this.minStepDownMs = Math.max(0, minStepDownMs);
    }

    String setName() {
        return setName;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(setName, state, initiated, memberName, term, configVersion, electionTime, stateSince);
    }

    /** @return false if it was initiated already */
    synchronized boolean initiate(String memberName) {
        if (initiated) {
            return false;
        }
        initiated = true;
        this.memberName = memberName;
        configVersion = 1;
        setState(MemberState.SECONDARY);
        Log.info("replica set " + setName + " initiated; SECONDARY (member " + memberName + ", election in "
                + secondaryMs + " ms)");
        scheduleElection(secondaryMs);
        return true;
    }

    /** @return false if this node is not primary */
    synchronized boolean stepDown(long requestedMs) {
        if (state != MemberState.PRIMARY) {
            return false;
        }
        long ms = Math.max(requestedMs, minStepDownMs);
        setState(MemberState.SECONDARY);
        Log.info("stepped down; SECONDARY for " + ms + " ms");
        scheduleElection(ms);
        return true;
    }

    private void scheduleElection(long delayMs) {
        if (pendingElection != null) {
            pendingElection.cancel(false);
        }
        pendingElection = timer.schedule(this::elect, delayMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void elect() {
        if (!initiated || state == MemberState.PRIMARY) {
            return;
        }
        term++;
        electionTime = Instant.now();
        setState(MemberState.PRIMARY);
        Log.info("elected PRIMARY (term " + term + ")");
    }

    private void setState(MemberState s) {
        state = s;
        stateSince = Instant.now();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
