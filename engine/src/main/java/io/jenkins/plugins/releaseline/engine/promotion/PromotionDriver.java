package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.drive.Driver;
import io.jenkins.plugins.releaseline.engine.drive.DriverRecords;
import io.jenkins.plugins.releaseline.engine.drive.EffectJournal;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A promotion from request to outcome, as an engine {@link Driver} (kind {@value #KIND}): request (or rollback),
 * wait for the gates ({@link GateWait}), run the deploy body once, record deployed or failed.
 *
 * <pre>
 * REQUESTING --request--&gt; GATES --all pass--&gt; DEPLOYING --body ended--&gt; FINISHING --finish--&gt; DONE | FAILED
 *                          GATES --refused / timed out / stopped--&gt; FAILED;   DEPLOYING --stopped--&gt; FAILED
 * </pre>
 *
 * <p>Each {@link #advance} does one bounded unit of work (a few short transactions) and persists where it got in
 * the driver's row. It is idempotent: the promotion's request commits with the row that records its id; the deploy
 * body is asked for under the journal effect {@code "body"} and always with the same body id (a caller that
 * started that body does not start it again); the outcome is recorded under the effect {@code "finish"}, and
 * after a crash between journal and ledger the promotion's status says whether it happened. So an advance after a
 * crash at any point never starts the body twice nor records the outcome twice, and ends where an uninterrupted
 * run would.
 *
 * <p>Errors: a refusal, a timeout, a stop or a request the engine rejects ({@link IllegalArgumentException}) end
 * the driver in {@link Next.Failed}. A {@code StoreException} (the database cannot be reached) is not a failure
 * of the promotion: every method lets it through, nothing is half-recorded, and the caller advances again later.
 */
public final class PromotionDriver implements Driver {

    public static final String KIND = "promotion";

    /** How the deployment happens once every gate passed. */
    public enum Deploy {
        /** There is nothing to run: record deployed at once (a promote step without a body). */
        AT_ONCE,
        /** Run the deploy body ({@link Next.RunBody}), then record its outcome. */
        BODY,
        /** Leave the promotion deploying, its outcome to be recorded later by someone else (the CLI's --start-only). */
        LATER
    }

    /** How it ended; {@code null} while it runs. */
    public enum Outcome { DEPLOYED, STARTED, INVALID, REFUSED, TIMED_OUT, STOPPED, FAILED }

    /**
     * The driver's persisted document. The request's fields first, then progress. Public fields, read as JSON.
     */
    public static final class State {
        public boolean rollback;
        public String environment;
        public String artifact;
        public String version;
        public String digest;
        public String branch;
        public String jobPath;
        public String buildLink;
        public String requestedBy;
        public List<String> groups = new ArrayList<>();
        /** Rollbacks: why; promotions: the comment recorded with the outcome. */
        public String reason;
        public boolean waitForGates;
        public long timeoutMillis;
        public long pollMillis = GateWait.DEFAULT_POLL.toMillis();
        public Deploy deploy = Deploy.BODY;

        public long promotionId;
        public long deadlineMillis;
        public String bodyId;
        public Boolean bodySucceeded;
        public String bodyDetail;
        public List<GateVerdict> verdicts = new ArrayList<>();
        public Outcome outcome;
        public String message;
    }

    static final String REQUESTING = "REQUESTING";
    static final String GATES = "GATES";
    static final String DEPLOYING = "DEPLOYING";
    static final String FINISHING = "FINISHING";
    static final String DONE = "DONE";
    static final String FAILED = "FAILED";

    private final Store store;
    private final PromotionEngine engine;
    private final String id;
    /** Called at each point between two side effects; tests throw from it to crash there. */
    Consumer<String> checkpoint = point -> {};

    public PromotionDriver(Store store, PromotionEngine engine, String id) {
        this.store = Objects.requireNonNull(store, "store");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.id = Objects.requireNonNull(id, "id");
    }

    /**
     * Records a new driver for {@code state} (its request fields; the deadline is {@code now} plus the timeout),
     * or does nothing when driver {@code id} exists already (a retried start). Nothing is requested yet: the
     * first {@link #advance} does that.
     */
    public static PromotionDriver create(Store store, PromotionEngine engine, String id, State state, Instant now) {
        state.deadlineMillis = now.toEpochMilli() + Math.max(0, state.timeoutMillis);
        store.inTransaction(c -> DriverRecords.insert(c, id, KIND, store.controllerId(), REQUESTING, state, now));
        return new PromotionDriver(store, engine, id);
    }

    @Override
    public String id() {
        return id;
    }

    /** The persisted document as of now (a store read). */
    public State state() {
        return row().document(State.class);
    }

    /** The phase as of now (a store read): REQUESTING, GATES, DEPLOYING, FINISHING, DONE or FAILED. */
    public String phase() {
        return row().phase();
    }

    @Override
    public Next advance(Instant now) {
        for (int attempt = 0; ; attempt++) {
            DriverRecords.Row row = row();
            try {
                return advance(row, row.document(State.class), now);
            } catch (Conflict e) {
                if (attempt >= 5) {
                    return new Next.Wait(now, "driver " + id + " changed during the advance; advancing again");
                }
            }
        }
    }

    private Next advance(DriverRecords.Row row, State s, Instant now) {
        String stop = row.stopReason();
        switch (row.phase()) {
            case REQUESTING -> {
                if (stop != null) {
                    return end(row, s, Outcome.STOPPED, "stopped before the promotion was requested: " + stop, now);
                }
                try {
                    request(row, s, now);
                } catch (IllegalArgumentException e) {
                    return end(row, s, Outcome.INVALID, e.getMessage(), now);
                }
                checkpoint.accept("requested");
                return advance(now);
            }
            case GATES -> {
                return gates(row, s, stop, now);
            }
            case DEPLOYING -> {
                if (stop != null) {
                    s.bodySucceeded = false;
                    s.bodyDetail = "stopped: " + stop;
                    return finish(row, s, Outcome.STOPPED, now);
                }
                return runBody(s);
            }
            case FINISHING -> {
                return finish(row, s, s.bodySucceeded ? Outcome.DEPLOYED : Outcome.FAILED, now);
            }
            case DONE -> {
                return new Next.Done(s.outcome == Outcome.STARTED ? String.valueOf(s.promotionId) : null, s.message);
            }
            case FAILED -> {
                return new Next.Failed(s.message);
            }
            default -> throw new IllegalStateException("promotion driver " + id + ": unknown phase " + row.phase());
        }
    }

    private void request(DriverRecords.Row row, State s, Instant now) {
        PromotionEngine.AlsoInTransaction record = (c, p) -> {
            s.promotionId = p.id();
            s.version = p.artifact().version();
            s.digest = p.artifact().digest().value();
            if (!DriverRecords.update(c, id, row.version(), GATES, s, now)) {
                throw new Conflict();
            }
        };
        if (s.rollback) {
            engine.rollback(s.environment, s.artifact, new Actor(s.requestedBy, new HashSet<>(s.groups)), s.reason, s.jobPath,
                    s.buildLink, record);
        } else {
            engine.request(new PromotionRequest(s.environment, Artifact.of(s.artifact, s.version, s.digest), s.branch, s.jobPath,
                    s.buildLink, s.requestedBy, new HashSet<>(s.groups)), record);
        }
    }

    private Next gates(DriverRecords.Row row, State s, String stop, Instant now) {
        if (stop != null) {
            engine.cancel(s.promotionId, s.requestedBy, "stopped: " + stop);
            return end(row, s, Outcome.STOPPED, "stopped: " + stop, now);
        }
        GateWait.Result r;
        try {
            r = new GateWait(engine, Duration.ofMillis(s.pollMillis)).check(s.promotionId, s.waitForGates, s.requestedBy,
                    Instant.ofEpochMilli(s.deadlineMillis), Duration.ofMillis(s.timeoutMillis), now);
        } catch (IllegalArgumentException e) {
            return end(row, s, Outcome.FAILED, e.getMessage(), now);
        }
        s.verdicts = new ArrayList<>(r.evaluation().verdicts());
        Promotion p = r.evaluation().promotion();
        if (r instanceof GateWait.Refused refused) {
            return end(row, s, Outcome.REFUSED, refused.why(), now);
        }
        if (r instanceof GateWait.TimedOut timedOut) {
            return end(row, s, Outcome.TIMED_OUT, timedOut.why(), now);
        }
        if (r instanceof GateWait.Waiting waiting) {
            write(row, GATES, s, now);
            return new Next.Wait(waiting.until(), waiting.why());
        }
        checkpoint.accept("started");
        switch (s.deploy) {
            case AT_ONCE -> {
                s.bodySucceeded = true;
                s.bodyDetail = s.reason;
                write(row, FINISHING, s, now);
                return advance(now);
            }
            case LATER -> {
                return end(row, s, Outcome.STARTED, "promotion " + p.id() + " is deploying " + p.artifact() + " to " + p.environment(), now);
            }
            default -> {
                s.bodyId = id + "/body";
                inRow(row, DEPLOYING, s, now, c -> EffectJournal.begin(c, id, "body", s.bodyId, now));
                return runBody(s);
            }
        }
    }

    private Next runBody(State s) {
        Map<String, String> env = Map.of(
                "RELEASE_LINE_ENVIRONMENT", s.environment,
                "RELEASE_LINE_ARTIFACT", s.artifact,
                "RELEASE_LINE_VERSION", s.version,
                "RELEASE_LINE_DIGEST", s.digest);
        return new Next.RunBody(s.bodyId, "deploy", env, "Deploying " + s.artifact + " " + s.version + " (" + s.digest + ") to "
                + s.environment + " (the deploy lock is held until the deployment ends)");
    }

    /** Records the outcome (once: the journal and the promotion's status say whether it was), then ends. */
    private Next finish(DriverRecords.Row row, State s, Outcome outcome, Instant now) {
        boolean ok = s.bodySucceeded;
        EffectJournal.State journaled = store.read(c -> EffectJournal.state(c, id, "finish"));
        if (journaled != EffectJournal.State.DONE) {
            if (journaled == EffectJournal.State.NONE) {
                store.inTransaction(c -> {
                    EffectJournal.begin(c, id, "finish", ok ? "deployed" : "failed", now);
                    return null;
                });
                checkpoint.accept("finish-begun");
            }
            PromotionStatus target = ok ? PromotionStatus.DEPLOYED : PromotionStatus.FAILED;
            PromotionStatus status = engine.promotion(s.promotionId).status();
            if (status != target && !(ok && status == PromotionStatus.VERIFIED)) {
                try {
                    engine.finish(s.promotionId, ok, s.requestedBy, s.bodyDetail);
                } catch (IllegalArgumentException e) {
                    return end(row, s, Outcome.FAILED, e.getMessage(), now);
                }
            }
            checkpoint.accept("finished");
        }
        Promotion p = engine.promotion(s.promotionId);
        String message = switch (outcome) {
            case DEPLOYED -> s.deploy == Deploy.AT_ONCE ? "Promoted " + p.artifact() + " to " + p.environment()
                    : "Recorded " + p.artifact() + " as deployed to " + p.environment();
            case STOPPED -> s.bodyDetail + "; recorded " + p.artifact() + " as failed in " + p.environment();
            default -> "Recorded " + p.artifact() + " as failed in " + p.environment()
                    + (s.bodyDetail == null ? "" : " (" + s.bodyDetail + ")");
        };
        s.outcome = outcome;
        s.message = message;
        inRow(row, ok ? DONE : FAILED, s, now, c -> EffectJournal.done(c, id, "finish", ok ? "deployed" : "failed", now));
        return ok ? new Next.Done(null, message) : new Next.Failed(message);
    }

    @Override
    public void bodyFinished(String bodyId, boolean succeeded, String detail) {
        Instant now = Instant.now();
        store.inTransaction(c -> {
            DriverRecords.Row row = DriverRecords.lock(c, id).orElseThrow(() -> missing());
            State s = row.document(State.class);
            if (!DEPLOYING.equals(row.phase()) || !Objects.equals(bodyId, s.bodyId) || s.bodySucceeded != null) {
                return null;
            }
            s.bodySucceeded = succeeded;
            s.bodyDetail = detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000);
            EffectJournal.done(c, id, "body", (succeeded ? "succeeded" : "failed") + (detail == null ? "" : ": " + detail), now);
            if (!DriverRecords.update(c, id, row.version(), FINISHING, s, now)) {
                throw new IllegalStateException("promotion driver " + id + ": changed under its lock");
            }
            return null;
        });
    }

    @Override
    public void requestStop(String reason) {
        store.inTransaction(c -> DriverRecords.requestStop(c, id, reason, Instant.now()));
    }

    private Next end(DriverRecords.Row row, State s, Outcome outcome, String message, Instant now) {
        s.outcome = outcome;
        s.message = message == null ? outcome.name().toLowerCase(java.util.Locale.ROOT) : message;
        boolean done = outcome == Outcome.DEPLOYED || outcome == Outcome.STARTED;
        write(row, done ? DONE : FAILED, s, now);
        return done ? new Next.Done(outcome == Outcome.STARTED ? String.valueOf(s.promotionId) : null, s.message)
                : new Next.Failed(s.message);
    }

    private void write(DriverRecords.Row row, String phase, State s, Instant now) {
        inRow(row, phase, s, now, c -> {});
    }

    /** Writes the row (if nobody changed it since {@code row} was read) and {@code also}, in one transaction. */
    private void inRow(DriverRecords.Row row, String phase, State s, Instant now, Also also) {
        store.inTransaction(c -> {
            also.run(c);
            if (!DriverRecords.update(c, id, row.version(), phase, s, now)) {
                throw new Conflict();
            }
            return null;
        });
    }

    private DriverRecords.Row row() {
        return store.read(c -> DriverRecords.load(c, id)).orElseThrow(this::missing);
    }

    private IllegalStateException missing() {
        return new IllegalStateException("promotion driver " + id + ": no such driver in the store");
    }

    private interface Also {
        void run(java.sql.Connection c) throws SQLException;
    }

    /** The row changed between read and write (a stop request came in): read again and decide again. */
    private static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Conflict() {
            super(null, null, false, false);
        }
    }
}
