package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.drive.Driver;
import io.jenkins.plugins.releaseline.engine.drive.DriverRecords;
import io.jenkins.plugins.releaseline.engine.drive.EffectJournal;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * One canary rollout as a {@link Driver}: the {@link CanaryController}'s state machine, advanced one bounded unit at
 * a time, with every traffic change journaled ({@link EffectJournal}) before and after it happens.
 *
 * <p>With a named router the driver calls the router itself (each router bounds its calls with connect and read
 * timeouts). When the pipeline's block is the router, {@link #advance} never waits for it: it answers
 * {@link Next.RunBody} with the weights in the environment ({@link CommandRouter#CANARY_WEIGHT} and the others, exactly
 * as {@link CommandRouter} builds them) and the body's end, reported with {@link #bodyFinished}, is what the next
 * advance hands to the controller as the router's answer: a failed body, or one that does not report within
 * {@link #DEFAULT_BODY_TIMEOUT}, is a router failure (a rollback, or a retry while rolling back). The named-router
 * form's deploy block is a body too (effect {@value #DEPLOY}), run before the rollout starts.
 *
 * <p>Each weight change is an effect {@code weights-<seq>}. After a crash between the request and the answer, the
 * next advance finds it begun and does not repeat it: a named router is read back (and set only if it does not
 * hold the split), a block that was asked for is awaited ({@link Next.AwaitBody}), since it belongs to the pipeline.
 *
 * <p>With a named router, the journal entries of a weight change ride in the controller's own transactions
 * ({@link CanaryController.Hook}): the change that makes a weight due (an analysis that passes, say) records it as
 * begun, with the driver's row, before the router is called; the router's answer is recorded as done with the
 * controller's next change (the weight set, or the router's failure). Each is durable before the advance goes on,
 * so a step costs two durable transactions, not four, and the crash guarantees are those of separate ones.
 */
public final class CanaryDriver implements Driver {

    private static final Logger LOGGER = Logger.getLogger(CanaryDriver.class.getName());

    public static final String KIND = "canary";
    /** The effect (and body id) of the named-router form's deploy block. */
    public static final String DEPLOY = "deploy";
    /** The purpose of a body that moves traffic. */
    public static final String ROUTER = "router";
    /** A router block that has not reported within this time has failed. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofMinutes(30);
    /** Failed attempts to take the canary back to 0% after which the driver gives up and says so. */
    public static final int DEFAULT_ROLLBACK_ATTEMPTS = 10;
    /** How often a paused rollout is looked at again (a resume may come from another process). */
    static final Duration PAUSED_RECHECK = Duration.ofSeconds(30);

    /** Where the driver is. */
    public enum Phase { DEPLOYING, ROLLING, ENDED }

    /** A traffic change asked for and not yet handed to the controller. */
    public record Pending(String effectId, String split, long rolloutVersion) {}

    /** The router's answer to a weight change, to be journaled as done with the controller's next change. */
    private record Settled(String effectId, String detail, Instant at) {}

    /** What an advance reads first, in one read: the driver's row and the rollout (null before it started). */
    private record Snapshot(DriverRecords.Row row, CanaryRollout rollout) {}

    /**
     * The driver's own fields, as stored in its row.
     *
     * @param block      the pipeline's block is the router
     * @param seq        weight changes asked for so far
     * @param ended      once ended: true when the canary took all traffic
     * @param endedWhy   once ended: what happened
     */
    public record Doc(String principal, boolean block, String router, String stable, String canary, String stableLabel,
                      String canaryLabel, String planSteps, int maxFailedAnalyses, int inconclusiveRetries,
                      long retryIntervalMillis, String onInconclusive, long analysisDeadlineMillis, int seq,
                      Pending pending, Boolean ended, String endedWhy) {

        static Doc of(String principal, boolean block, CanarySpec s) {
            CanaryPlan p = s.plan();
            return new Doc(principal, block, s.router(), s.stableBackend(), s.canaryBackend(), s.stableLabel(), s.canaryLabel(),
                    p.stepsText(), p.maxFailedAnalyses(), p.inconclusiveRetries(), p.retryInterval().toMillis(),
                    p.onInconclusive().name(), p.analysisDeadline().toMillis(), 0, null, null, null);
        }

        CanarySpec spec(String id) {
            CanaryPlan plan = new CanaryPlan(CanaryPlanParser.parse(planSteps), maxFailedAnalyses, inconclusiveRetries,
                    Duration.ofMillis(retryIntervalMillis), CanaryPlan.OnInconclusive.valueOf(onInconclusive),
                    Duration.ofMillis(analysisDeadlineMillis));
            return new CanarySpec(id, router, stable, canary, stableLabel, canaryLabel, plan);
        }

        Doc withPending(int n, Pending p) {
            return new Doc(principal, block, router, stable, canary, stableLabel, canaryLabel, planSteps, maxFailedAnalyses,
                    inconclusiveRetries, retryIntervalMillis, onInconclusive, analysisDeadlineMillis, n, p, ended, endedWhy);
        }

        Doc withEnd(boolean ok, String why) {
            return new Doc(principal, block, router, stable, canary, stableLabel, canaryLabel, planSteps, maxFailedAnalyses,
                    inconclusiveRetries, retryIntervalMillis, onInconclusive, analysisDeadlineMillis, seq, null, ok, why);
        }
    }

    /** Points of a traffic change where tests make the process "crash". */
    interface CrashPoints {
        void at(String point, String effectId);
    }

    private final String id;
    private final Store store;
    private final CanaryController controller;
    private final Clock clock;
    private final TrafficRouter named;
    private final Supplier<CanaryAnalysis> analysisSupplier;
    private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
    private int rollbackAttempts = DEFAULT_ROLLBACK_ATTEMPTS;
    CrashPoints crashPoints = (point, effect) -> {};

    private CanaryAnalysis analysis;
    private TrafficRouter router;
    private boolean reconciled;
    /** Within one advance: the state document as last read or written, with the row's version and phase. */
    private Doc doc;
    private long rowVersion = -1;
    private String rowPhase;
    private boolean consumed;
    /** Within one advance: the weight change journaled as begun in the controller's transaction, not yet applied. */
    private String begunHere;
    /** Within one advance: the router's answer, not yet journaled. */
    private Settled unwritten;
    /** The last weight change this instance journaled as done (done is final: no read needed to know it again). */
    private String knownDone;
    private final JournalHook hook = new JournalHook();

    /**
     * @param namedRouter the named router; null when the block is the router (or when this instance only records
     *                    {@link #bodyFinished} and {@link #requestStop})
     * @param analysis    builds the analysis when first needed; may be null for an instance that does not advance
     */
    public CanaryDriver(String id, Store store, CanaryController controller, Clock clock, TrafficRouter namedRouter,
                        Supplier<CanaryAnalysis> analysis) {
        this.id = Objects.requireNonNull(id, "id");
        this.store = Objects.requireNonNull(store, "store");
        this.controller = Objects.requireNonNull(controller, "controller");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.named = namedRouter;
        this.analysisSupplier = analysis;
    }

    /** How long a router block may take before it counts as a failed router call (30 minutes by default). */
    public CanaryDriver withBodyTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("body timeout: must be positive, was " + timeout);
        }
        this.bodyTimeout = timeout;
        return this;
    }

    /** Failed attempts to reach 0% after which the driver ends, saying the router did not confirm (10 by default). */
    public CanaryDriver withRollbackAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("rollback attempts: must be at least 1, was " + attempts);
        }
        this.rollbackAttempts = attempts;
        return this;
    }

    /**
     * Records a new canary; nothing moves until the first {@link #advance}. {@code block}: the pipeline's block is
     * the router. {@code deployFirst}: the first advance asks for the deploy body ({@value #DEPLOY}), and the rollout
     * starts once it succeeded. False when a driver with this id exists already (a retried start).
     */
    public static boolean create(Store store, Clock clock, String principal, CanarySpec spec, boolean block, boolean deployFirst) {
        String who = Inputs.requirePrincipal(principal);
        Phase phase = deployFirst ? Phase.DEPLOYING : Phase.ROLLING;
        return store.inTransaction(c -> DriverRecords.insert(c, spec.id(), KIND, store.controllerId(), phase.name(),
                Doc.of(who, block, spec), clock.instant()));
    }

    @Override
    public String id() {
        return id;
    }

    /** The rollout, once it started. */
    public java.util.Optional<CanaryRollout> rollout() {
        return controller.find(id);
    }

    /** The driver's phase and fields as stored. */
    public DriverRecords.Row row() {
        return store.read(c -> DriverRecords.load(c, id))
                .orElseThrow(() -> new IllegalArgumentException("canary: no driver '" + Inputs.printable(id) + "'"));
    }

    @Override
    public Next advance(Instant now) {
        begunHere = null;
        unwritten = null;
        hook.applying(null);
        Snapshot s = store.read(c -> new Snapshot(DriverRecords.load(c, id).orElse(null), CanaryStore.load(c, id).orElse(null)));
        if (s.row() == null) {
            throw new IllegalArgumentException("canary: no driver '" + Inputs.printable(id) + "'");
        }
        DriverRecords.Row row = s.row();
        doc = row.document(Doc.class);
        rowVersion = row.version();
        rowPhase = row.phase();
        Phase phase = Phase.valueOf(row.phase());
        if (phase == Phase.ENDED) {
            return ended(doc);
        }
        if (phase == Phase.DEPLOYING) {
            Next deploying = deploy(row, now);
            if (deploying != null) {
                return deploying;
            }
        }
        return roll(row, s.rollout(), now);
    }

    private Next deploy(DriverRecords.Row row, Instant now) {
        EffectJournal.Effect e = store.read(c -> EffectJournal.find(c, id, DEPLOY)).orElse(null);
        boolean running = e != null && e.state() == EffectJournal.State.BEGUN;
        if (row.stopReason() != null && !running) {
            // a deploy block that runs is awaited first: the stop ends it too, and its end is reported
            return end(false, "stopped before the canary took any traffic (" + row.stopReason() + "); the router was not touched", now);
        }
        if (e == null) {
            store.inTransaction(c -> {
                EffectJournal.begin(c, id, DEPLOY, "deploy the canary version", now);
                return null;
            });
            return new Next.RunBody(DEPLOY, "deploy", Map.of(), "deploying the canary version (the block), then "
                    + doc.spec(id).plan().stepsText() + " through router " + doc.router());
        }
        if (running) {
            return new Next.AwaitBody(DEPLOY, "the block deploys the canary version");
        }
        if (!isOk(e.detail())) {
            return end(false, "the deploy block failed: " + failure(e.detail()) + "; the router was not touched", now);
        }
        store.inTransaction(c -> update(c, now, Phase.ROLLING, d -> d));
        return null;
    }

    /** {@code current}: the rollout as read with the row, null when it has not started. */
    private Next roll(DriverRecords.Row row, CanaryRollout current, Instant now) {
        boolean fresh = current == null;
        if (fresh) {
            current = controller.start(doc.principal(), doc.spec(id));
        }
        TrafficRouter r = router(current.spec());
        if (!reconciled) {
            reconciled = true;
            // a rollout this process did not start: check the named router's real weights against the stored state
            if (!fresh && !doc.block()) {
                current = controller.resume(id, r, hook);
                writeSettled();
            }
        }
        if (row.stopReason() != null && !current.state().terminal() && !current.state().towardsStable()) {
            current = controller.abort(id, CanaryController.SYSTEM, row.stopReason().replaceAll("\\p{Cntrl}", " "), null);
        }
        consumed = false;
        CanaryRollout after;
        try {
            after = controller.advance(id, r, analysis(), hook, current);
            writeSettled();
        } catch (BodyNeeded needed) {
            return needed.body;
        } catch (BodyRunning running) {
            clearConsumed();
            return new Next.AwaitBody(running.effectId, "the block sets " + running.split + "; nothing is due until it reports");
        }
        clearConsumed();
        return next(after, now);
    }

    /** The controller has been handed the block's outcome: forget it, so that the next change is asked anew. */
    private void clearConsumed() {
        // a named router's pending change counts only at its rollout version, so it needs no clearing
        if (consumed && doc.block()) {
            consumed = false;
            store.inTransaction(c -> update(c, clock.instant(), null, d -> d.withPending(d.seq(), null)));
        }
    }

    private Next next(CanaryRollout r, Instant now) {
        switch (r.state()) {
            case SUCCEEDED:
                return end(true, r.spec().canaryBackend() + " takes 100% of the traffic", now);
            case ROLLED_BACK:
                return end(false, "canary rolled back: " + r.reason(), now);
            case ABORTED:
                return end(false, "canary aborted: " + r.reason(), now);
            default:
                break;
        }
        if (r.state().towardsStable() && r.routerFailures() >= rollbackAttempts) {
            return end(false, "router " + r.spec().router() + " did not confirm the canary at 0% after " + r.routerFailures()
                    + " attempts; traffic may still reach " + r.spec().canaryBackend() + ": set it to 0% on the router yourself. "
                    + r.reason(), now);
        }
        if (r.state() == CanaryState.PAUSED) {
            Instant recheck = now.plus(PAUSED_RECHECK);
            Instant until = r.pauseExpiresAt() != null && r.pauseExpiresAt().isBefore(recheck) ? r.pauseExpiresAt() : recheck;
            return new Next.Wait(until, r.reason() == null ? "paused" : r.reason());
        }
        if (r.wakeAt() != null) {
            String why = r.state().towardsStable() ? String.valueOf(r.reason())
                    : "step " + (r.stepIndex() + 1) + "/" + r.spec().plan().steps().size() + " at " + r.intendedWeight()
                    + "%: analysis at " + r.wakeAt();
            return new Next.Wait(r.wakeAt(), why);
        }
        return new Next.Wait(now.plusSeconds(1), r.state() + ": looking again in a second");
    }

    private Next end(boolean ok, String why, Instant now) {
        Doc ended = store.inTransaction(c -> update(c, now, Phase.ENDED, d -> d.ended() != null ? d : d.withEnd(ok, why)));
        LOGGER.fine(() -> "canary " + id + ": " + ended.endedWhy());
        return ended(ended);
    }

    private static Next ended(Doc d) {
        return Boolean.TRUE.equals(d.ended()) ? new Next.Done(null, d.endedWhy()) : new Next.Failed(d.endedWhy());
    }

    @Override
    public void bodyFinished(String bodyId, boolean succeeded, String detail) {
        Instant now = clock.instant();
        store.inTransaction(c -> {
            if (EffectJournal.state(c, id, bodyId) == EffectJournal.State.BEGUN) {
                EffectJournal.done(c, id, bodyId, succeeded ? "ok" : "failed: " + (detail == null ? "the block failed" : detail), now);
            }
            return null;
        });
    }

    @Override
    public void requestStop(String reason) {
        Instant now = clock.instant();
        store.inTransaction(c -> DriverRecords.requestStop(c, id, reason, now));
    }

    // ------------------------------------------------------------------------------------------ traffic changes

    private synchronized CanaryAnalysis analysis() {
        if (analysis == null) {
            analysis = analysisSupplier == null ? null : analysisSupplier.get();
            if (analysis == null) {
                throw new IllegalStateException("canary " + id + ": this driver was made without an analysis");
            }
        }
        return analysis;
    }

    private TrafficRouter router(CanarySpec spec) {
        if (router == null) {
            if (doc.block()) {
                router = CommandRouter.forCanary(spec.router(), spec.stableBackend(), spec.canaryBackend(), this::routeByBody,
                        store, new AuditTrail(store, clock), clock, doc.principal());
            } else {
                if (named == null) {
                    throw new IllegalStateException("canary " + id + ": runs on router '" + doc.router() + "'; give it to the driver");
                }
                router = new Journaled(named);
            }
        }
        return router;
    }

    /** The block form: the split is asked of the pipeline's block; its reported end is the router's answer. */
    private CommandRouter.Report routeByBody(TrafficSplit target, Map<String, String> environment) {
        String split = CommandRouter.format(target);
        Pending p = doc.pending();
        if (p != null) {
            EffectJournal.Effect e = effect(p.effectId());
            if (e.state() == EffectJournal.State.BEGUN) {
                Instant now = clock.instant();
                if (Duration.between(e.begunAt(), now).compareTo(bodyTimeout) < 0) {
                    throw new BodyRunning(p.effectId(), p.split());
                }
                String why = "failed: the block did not report within " + CanaryPlanParser.formatDuration(bodyTimeout);
                store.inTransaction(c -> {
                    EffectJournal.done(c, id, p.effectId(), why, now);
                    return null;
                });
                e = effect(p.effectId());
            }
            if (p.split().equals(split)) {
                consumed = true;
                if (isOk(e.detail())) {
                    return new CommandRouter.Report(target, "the block finished with " + split);
                }
                throw new RouterException("the block failed while setting " + split + ": " + failure(e.detail()), false);
            }
        }
        Pending asked = request(target, null);
        throw new BodyNeeded(new Next.RunBody(asked.effectId(), ROUTER, environment, "the block sets " + split));
    }

    /** Journals a new traffic change (begun) and remembers it as pending, in one transaction. */
    private Pending request(TrafficSplit target, CanaryRollout rollout) {
        Instant now = clock.instant();
        String split = CommandRouter.format(target);
        long version = rollout == null ? -1 : rollout.version();
        doc = store.inTransaction(c -> begin(c, now, split, version));
        consumed = false; // a new change replaces the one whose outcome was handed over
        crashPoints.at("begun", doc.pending().effectId());
        return doc.pending();
    }

    /** Inside a transaction: the next weight change, journaled as begun and pending in the driver's row. */
    private Doc begin(Connection c, Instant now, String split, long rolloutVersion) throws SQLException {
        Doc next = update(c, now, null, d -> d.withPending(d.seq() + 1,
                new Pending("weights-" + (d.seq() + 1), split, rolloutVersion)));
        EffectJournal.begin(c, id, next.pending().effectId(), split, now);
        return next;
    }

    /** Journals the router's answer if no change of the controller's took it along (a durable transaction of its own). */
    private void writeSettled() {
        Settled s = unwritten;
        if (s != null) {
            store.inTransaction(c -> {
                EffectJournal.done(c, id, s.effectId(), s.detail(), s.at());
                return null;
            });
            unwritten = null;
            knownDone = s.effectId();
            crashPoints.at("done", s.effectId());
        }
    }

    /**
     * The driver's work inside the controller's transactions (named router only): the router's answer journaled
     * as done with the change that records it; a weight the change makes due journaled as begun, the driver's row
     * with it, so that the router is called once that transaction is on disk.
     */
    private final class JournalHook implements CanaryController.Hook {
        private Settled stagedDone;
        private String stagedBegun;
        private CanaryRollout applying;

        @Override
        public void inTransaction(Connection c, CanaryRollout written) throws SQLException {
            stagedDone = null;
            stagedBegun = null;
            Settled s = unwritten;
            Instant now = clock.instant();
            if (s != null) {
                EffectJournal.done(c, id, s.effectId(), s.detail(), s.at());
                stagedDone = s;
            }
            if (doc.block() || router == null || written.wakeAt() != null || (written.state() != CanaryState.SETTING_WEIGHT
                    && written.state() != CanaryState.ROLLING_BACK && written.state() != CanaryState.ABORTING)) {
                return; // the controller calls the router only in a later advance, if at all
            }
            Pending p = doc.pending();
            if (p != null && (s == null || !s.effectId().equals(p.effectId())) && !p.effectId().equals(knownDone)
                    && EffectJournal.state(c, id, p.effectId()) == EffectJournal.State.BEGUN) {
                return; // a change begun before a crash: the router call reconciles it first
            }
            String split = CommandRouter.format(CanaryController.split(written, router, written.intendedWeight()));
            if (p != null && p.split().equals(split) && p.rolloutVersion() == written.version()) {
                return; // asked for at this version already
            }
            stagedBegun = begin(c, now, split, written.version()).pending().effectId();
        }

        @Override
        public void committed(CanaryRollout written) {
            Settled s = stagedDone;
            String b = stagedBegun;
            stagedDone = null;
            stagedBegun = null;
            if (s != null) {
                if (unwritten == s) {
                    unwritten = null;
                }
                knownDone = s.effectId();
                crashPoints.at("done", s.effectId());
            }
            if (b != null) {
                begunHere = b;
                consumed = false; // a new change replaces the one whose outcome was handed over
                crashPoints.at("begun", b);
            }
        }

        @Override
        public void applying(CanaryRollout r) {
            applying = r;
        }

        /** The rollout the controller is about to apply, as it read it under its router lock; null if not known. */
        CanaryRollout takeApplying() {
            CanaryRollout r = applying;
            applying = null;
            return r;
        }
    }

    private EffectJournal.Effect effect(String effectId) {
        return store.read(c -> EffectJournal.find(c, id, effectId))
                .orElseThrow(() -> new IllegalStateException("canary " + id + ": effect " + effectId + " is not in the journal"));
    }

    /**
     * Rewrites the document (and the phase, when given); fields others change are kept. First against the row as
     * this advance knows it (the version check makes that safe); when someone changed it meanwhile (a stop request),
     * again under the row's lock from the stored row.
     */
    private Doc update(Connection c, Instant now, Phase phase, UnaryOperator<Doc> change) throws SQLException {
        if (rowVersion >= 0 && doc != null) {
            Doc next = change.apply(doc);
            String ph = phase == null ? rowPhase : phase.name();
            if (DriverRecords.update(c, id, rowVersion, ph, next, now)) {
                kept(next, rowVersion + 1, ph);
                return next;
            }
        }
        DriverRecords.Row row = DriverRecords.lock(c, id)
                .orElseThrow(() -> new IllegalStateException("canary: no driver '" + id + "'"));
        Doc next = change.apply(row.document(Doc.class));
        String ph = phase == null ? row.phase() : phase.name();
        if (!DriverRecords.update(c, id, row.version(), ph, next, now)) {
            throw new SQLException("canary driver " + id + " changed concurrently", "40001");
        }
        kept(next, row.version() + 1, ph);
        return next;
    }

    /**
     * The row as just written. Set inside the transaction: should it roll back, the next update finds the version
     * wrong and starts from the stored row, and a failed transaction ends the advance.
     */
    private void kept(Doc next, long version, String phase) {
        doc = next;
        rowVersion = version;
        rowPhase = phase;
    }

    private static boolean isOk(String detail) {
        return detail != null && detail.startsWith("ok");
    }

    private static String failure(String detail) {
        return detail == null ? "no detail" : detail.startsWith("failed: ") ? detail.substring("failed: ".length()) : detail;
    }

    /** A named router whose weight changes are journaled: after a crash, a begun change is read back, not repeated. */
    private final class Journaled implements TrafficRouter {
        private final TrafficRouter delegate;

        Journaled(TrafficRouter delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public List<String> backends() {
            return delegate.backends();
        }

        @Override
        public TrafficSplit read() {
            return delegate.read();
        }

        @Override
        public Map<String, BackendHealth> health() {
            return delegate.health();
        }

        @Override
        public TrafficSplit apply(TrafficSplit target) {
            String split = CommandRouter.format(target);
            CanaryRollout known = hook.takeApplying();
            CanaryRollout rollout = known != null ? known : controller.get(id);
            Pending p = doc.pending();
            String fresh = begunHere;
            begunHere = null;
            if (p != null && p.effectId().equals(fresh) && p.split().equals(split)) {
                // journaled as begun in the controller's transaction just now, on disk: nothing to reconcile
                return attempt(p.effectId(), target);
            }
            if (p != null && p.split().equals(split)) {
                EffectJournal.Effect e = effect(p.effectId());
                if (e.state() == EffectJournal.State.BEGUN) {
                    // begun before a crash: read the router, set it only if it does not hold the split
                    TrafficSplit now = delegate.read();
                    if (now.equals(target)) {
                        settled(p.effectId(), "ok (read back after a restart)");
                        return target;
                    }
                    return attempt(p.effectId(), target);
                }
                if (p.rolloutVersion() == rollout.version()) {
                    consumed = true;
                    if (isOk(e.detail())) {
                        return target;
                    }
                    throw new RouterException("router " + name() + " failed to set " + split + ": " + failure(e.detail()), false);
                }
            }
            if (p != null && effect(p.effectId()).state() == EffectJournal.State.BEGUN) {
                // a change begun before a crash was overtaken (an abort): it is settled by this one
                Instant now = clock.instant();
                store.inTransaction(c -> {
                    EffectJournal.done(c, id, p.effectId(), "failed: overtaken by " + split, now);
                    return null;
                });
            }
            return attempt(request(target, rollout).effectId(), target);
        }

        private TrafficSplit attempt(String effectId, TrafficSplit target) {
            TrafficSplit after;
            try {
                after = delegate.apply(target);
            } catch (RouterException e) {
                settled(effectId, "failed: " + e.getMessage());
                throw e;
            }
            crashPoints.at("applied", effectId);
            settled(effectId, "ok");
            return after;
        }

        /**
         * The router answered: journaled as done in the transaction of the controller's change that records the
         * answer (before that change, nothing acts on it; a crash before it leaves the change begun, to be read back).
         */
        private void settled(String effectId, String detail) {
            unwritten = new Settled(effectId, detail, clock.instant());
            consumed = true;
        }
    }

    /** The block must run: unwinds the controller's advance (nothing was recorded) to answer {@link Next.RunBody}. */
    private static final class BodyNeeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Next.RunBody body;

        BodyNeeded(Next.RunBody body) {
            super(body.bodyId(), null, false, false);
            this.body = body;
        }
    }

    /** The block asked for runs: unwinds the controller's advance to answer {@link Next.AwaitBody}. */
    private static final class BodyRunning extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String effectId;
        final String split;

        BodyRunning(String effectId, String split) {
            super(effectId, null, false, false);
            this.effectId = effectId;
            this.split = split;
        }
    }
}
