package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.AnalysisContext;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.AnalysisReport;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricResult;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Verdict;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Runs canary rollouts as persisted state machines: set the step's weight, wait, analyse, then the next step,
 * or back to 0% with the reason. Every change is one transaction with its event and its audit record, written
 * before the router is told, so that {@link #resume} after a crash or restart continues from the stored state,
 * checked against the weights the router reports.
 *
 * <p>{@link #advance} does whatever is due now and returns; a caller drives it (the pipeline step on a timer,
 * {@link #run} in a loop). Manual {@link #pause}, {@link #unpause}, {@link #promote} and {@link #abort} may come
 * from other threads at any time: router calls of one rollout are serialised, and an analysis that finishes
 * after the rollout was paused or aborted is recorded but not acted on. Abort and rollback only move traffic:
 * the stable backend is never stopped or scaled, nor is the canary.
 */
public final class CanaryController {

    private static final Logger LOGGER = Logger.getLogger(CanaryController.class.getName());
    /** The principal of changes the controller makes by itself (analysis verdicts, deadlines). */
    public static final String SYSTEM = "release-line-canary";
    private static final Duration MAX_ROUTER_BACKOFF = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;
    private final Map<String, ReentrantLock> routerLocks = new ConcurrentHashMap<>();
    private final Map<String, Object> monitors = new ConcurrentHashMap<>();

    public CanaryController(Store store, AuditTrail audit, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A change to write: the next state, its event and, for changes people care about, an audit action. */
    private record Change(CanaryRollout next, CanaryEvent.Kind kind, String message, String verdict, Integer score,
                          String detail, String auditAction, String principal) {
        static Change of(CanaryRollout next, CanaryEvent.Kind kind, String message, String auditAction, String principal) {
            return new Change(next, kind, message, null, null, null, auditAction, principal);
        }
    }

    /**
     * Work of the caller's own, run inside the transaction of each change this controller writes for one call of
     * {@link #advance(String, TrafficRouter, CanaryAnalysis, Hook, CanaryRollout)} or {@link #resume(String,
     * TrafficRouter, Hook)}: the canary driver records its journal entries and its own row there, so that they and
     * the controller's change reach the disk together (one durable transaction, not three).
     */
    interface Hook {
        Hook NONE = new Hook() {};

        /**
         * Inside the change's transaction, after the rollout, its event and its audit record were written (also when
         * the change turned out to be a no-op). {@code written} is the rollout as it now stands. Runs again when the
         * transaction is retried after a conflict, so it must only stage what {@link #committed} makes its own.
         */
        default void inTransaction(Connection c, CanaryRollout written) throws SQLException {}

        /** After that transaction committed (on H2: and was written to the file). */
        default void committed(CanaryRollout written) {}

        /** Just before the router is told the weight {@code r} stands for; {@code r} was read under the router lock. */
        default void applying(CanaryRollout r) {}
    }

    @FunctionalInterface
    private interface Decision {
        /** The change to make to {@code current}, or null for none; throws to refuse. */
        Change decide(CanaryRollout current);
    }

    // ---------------------------------------------------------------------------------------------- reading

    public Optional<CanaryRollout> find(String id) {
        return store.read(c -> CanaryStore.load(c, id));
    }

    public CanaryRollout get(String id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("canary: no rollout '" + Inputs.printable(id) + "'"));
    }

    public List<CanaryEvent> events(String id) {
        return store.read(c -> CanaryStore.events(c, id));
    }

    /** Rollouts this controller started that have not ended: the ones to {@link #resume} after a restart. */
    public List<String> unfinished() {
        return store.read(c -> CanaryStore.unfinished(c, store.controllerId()));
    }

    // ---------------------------------------------------------------------------------------------- starting

    /** Stores a new rollout at its first step; nothing moves until {@link #advance}. */
    public CanaryRollout start(String principal, CanarySpec spec) {
        String who = Inputs.requirePrincipal(principal);
        Objects.requireNonNull(spec, "spec");
        Instant now = clock.instant();
        CanaryRollout r = new CanaryRollout(spec, CanaryState.SETTING_WEIGHT, 0, 0, 0, 0, null, null, null, null, null,
                "started by " + who, who, now, now, 1);
        CanaryRollout stored = store.inTransaction(c -> {
            if (CanaryStore.load(c, spec.id()).isPresent()) {
                throw new IllegalStateException("canary: a rollout '" + spec.id() + "' exists already; give this one another id");
            }
            List<CanaryRollout> busy = CanaryStore.activeOn(c, spec.router());
            if (!busy.isEmpty()) {
                throw new IllegalStateException("router: '" + spec.router() + "' is in use by canary '" + busy.get(0).id()
                        + "' (" + busy.get(0).state() + "); wait for it to end or abort it");
            }
            CanaryStore.insert(c, store.controllerId(), r);
            CanaryStore.appendEvent(c, r, now, CanaryEvent.Kind.STARTED, 0, null, null, who,
                    "plan " + spec.plan().stepsText() + "; stable " + spec.stableBackend() + ", canary " + spec.canaryBackend(), null);
            audit.append(c, who, new AuditEvent("canary.start", scope(spec.id()), null, null, stateJson(r)));
            return r;
        });
        LOGGER.info(() -> "canary " + spec.id() + ": started by " + who + " with plan " + spec.plan().stepsText());
        return stored;
    }

    // ---------------------------------------------------------------------------------------------- driving

    /**
     * Does everything that is due now: sets a weight, runs an analysis, rolls back, aborts an expired pause.
     * Returns the rollout as it then stands; its {@code wakeAt} says when to call again (null while paused).
     */
    public CanaryRollout advance(String id, TrafficRouter router, CanaryAnalysis analysis) {
        return advance(id, router, analysis, Hook.NONE, null);
    }

    /**
     * {@link #advance(String, TrafficRouter, CanaryAnalysis)} with the caller's {@code hook} run inside each change's
     * transaction. {@code known}: the rollout as the caller just read it (saves reading it again), or null.
     */
    CanaryRollout advance(String id, TrafficRouter router, CanaryAnalysis analysis, Hook hook, CanaryRollout known) {
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(hook, "hook");
        // each change returns the rollout as its transaction left it: nothing is read twice
        CanaryRollout r = known != null && known.id().equals(id) ? known : get(id);
        checkRouter(r, router);
        for (int guard = 0; guard < 10_000; guard++) {
            Instant now = clock.instant();
            switch (r.state()) {
                case SUCCEEDED, ROLLED_BACK, ABORTED -> {
                    return r;
                }
                case SETTING_WEIGHT -> r = applyIntended(id, router, hook);
                case ROLLING_BACK, ABORTING -> {
                    if (r.wakeAt() != null && now.isBefore(r.wakeAt())) {
                        return r;
                    }
                    CanaryRollout after = applyIntended(id, router, hook);
                    if (after.state() == r.state() && after.wakeAt() != null && now.isBefore(after.wakeAt())) {
                        return after;
                    }
                    r = after;
                }
                case PAUSED -> {
                    if (r.pauseExpiresAt() == null || now.isBefore(r.pauseExpiresAt())) {
                        return r;
                    }
                    Duration deadline = r.spec().plan().analysisDeadline();
                    r = change(id, r.version(), cur -> Change.of(towardsStable(cur, CanaryState.ABORTING,
                            "paused by the analysis deadline and not resumed within " + CanaryPlanParser.formatDuration(deadline)
                                    + ": aborted, traffic back to " + cur.spec().stableBackend()),
                            CanaryEvent.Kind.ABORT_REQUESTED, "pause expired: aborting", "canary.abort", SYSTEM), hook);
                }
                case WAITING -> {
                    if (r.wakeAt() != null && now.isBefore(r.wakeAt())) {
                        return r;
                    }
                    r = analyse(r, analysis, now, hook);
                }
                default -> throw new IllegalStateException("unknown state " + r.state());
            }
        }
        throw new IllegalStateException("canary " + id + ": no progress after 10000 transitions; this is a defect");
    }

    /**
     * Drives the rollout until it ends, sleeping until each wake-up (or until a pause, resume, promotion or abort
     * from another thread of this JVM); re-reads the stored state at least every {@code poll} for changes made
     * elsewhere. Returns the final state.
     */
    public CanaryRollout run(String id, TrafficRouter router, CanaryAnalysis analysis, Duration poll) throws InterruptedException {
        while (true) {
            CanaryRollout r = advance(id, router, analysis);
            if (r.state().terminal()) {
                return r;
            }
            long waitMillis = poll.toMillis();
            if (r.wakeAt() != null && r.state() != CanaryState.PAUSED) {
                waitMillis = Math.min(waitMillis, Math.max(1, Duration.between(clock.instant(), r.wakeAt()).toMillis()));
            }
            Object monitor = monitor(id);
            synchronized (monitor) {
                if (get(id).version() == r.version()) {
                    monitor.wait(Math.max(1, waitMillis));
                }
            }
        }
    }

    private CanaryRollout analyse(CanaryRollout r, CanaryAnalysis analysis, Instant now, Hook hook) {
        CanaryPlan plan = r.spec().plan();
        Instant since = r.analysisSince() != null ? r.analysisSince() : now;
        if (!now.isBefore(since.plus(plan.analysisDeadline()))) {
            return change(r.id(), r.version(), cur -> deadlinePause(cur, now, since), hook);
        }
        Instant windowStart = r.stepStartedAt() != null ? r.stepStartedAt() : now;
        AnalysisReport report = analysis.run(new AnalysisContext(r.spec().canaryLabel(), r.spec().stableLabel(), windowStart, now));
        Instant done = clock.instant();
        String detail = json(report);
        String summary = summary(r, report);
        LOGGER.info(() -> "canary " + r.id() + ": " + summary);
        return change(r.id(), -1, cur -> {
            if (cur.version() != r.version()) {
                return new Change(cur, CanaryEvent.Kind.ANALYSIS_DISCARDED, "analysis finished while the rollout was "
                        + cur.state() + "; its verdict " + report.verdict() + " was not acted on", report.verdict().name(),
                        report.score(), detail, null, SYSTEM);
            }
            CanaryRollout next;
            String audited = null;
            switch (report.verdict()) {
                case PASS -> next = cur.with(CanaryState.SETTING_WEIGHT).withStep(cur.stepIndex() + 1, null, null)
                        .withCounts(cur.failedAnalyses(), 0, 0).withWake(null, null).withReason(summary);
                case FAIL -> {
                    int failed = cur.failedAnalyses() + 1;
                    if (failed >= plan.maxFailedAnalyses()) {
                        next = towardsStable(cur.withCounts(failed, 0, 0), CanaryState.ROLLING_BACK, "rolled back: " + summary);
                        audited = "canary.rollback";
                    } else {
                        next = cur.withCounts(failed, 0, 0).withStep(cur.stepIndex(), done, done.plus(cur.step().pause()))
                                .withWake(done.plus(cur.step().pause()), null)
                                .withReason(summary + "; failed analysis " + failed + " of " + plan.maxFailedAnalyses()
                                        + " allowed, analysing again after the pause");
                    }
                }
                default -> {
                    int tries = cur.inconclusive() + 1;
                    if (tries > plan.inconclusiveRetries()) {
                        String why = "no judgement after " + tries + " analyses: " + summary;
                        if (plan.onInconclusive() == CanaryPlan.OnInconclusive.ROLLBACK) {
                            next = towardsStable(cur.withCounts(cur.failedAnalyses(), tries, 0), CanaryState.ROLLING_BACK,
                                    "rolled back: " + why);
                            audited = "canary.rollback";
                        } else {
                            next = paused(cur.withCounts(cur.failedAnalyses(), tries, 0), CanaryState.WAITING,
                                    done.plus(plan.analysisDeadline()), "paused: " + why + "; resume within "
                                            + CanaryPlanParser.formatDuration(plan.analysisDeadline()) + " or the rollout aborts");
                            audited = "canary.pause";
                        }
                    } else if (!done.isBefore(since.plus(plan.analysisDeadline()))) {
                        return withReport(deadlinePause(cur.withCounts(cur.failedAnalyses(), tries, 0), done, since), report, detail);
                    } else {
                        next = cur.withCounts(cur.failedAnalyses(), tries, 0)
                                .withWake(done.plus(plan.retryInterval()), since)
                                .withReason(summary + "; retry " + tries + " of " + plan.inconclusiveRetries() + " in "
                                        + CanaryPlanParser.formatDuration(plan.retryInterval()));
                    }
                }
            }
            return new Change(next, CanaryEvent.Kind.ANALYSIS, next.reason(), report.verdict().name(), report.score(),
                    detail, audited, SYSTEM);
        }, hook);
    }

    private static Change withReport(Change c, AnalysisReport report, String detail) {
        return new Change(c.next(), CanaryEvent.Kind.ANALYSIS, c.message(), report.verdict().name(), report.score(), detail,
                c.auditAction(), c.principal());
    }

    private static Change deadlinePause(CanaryRollout cur, Instant now, Instant since) {
        Duration deadline = cur.spec().plan().analysisDeadline();
        String d = CanaryPlanParser.formatDuration(deadline);
        CanaryRollout next = paused(cur, CanaryState.WAITING, now.plus(deadline),
                "paused: no judgement within the analysis deadline of " + d + " (since " + since
                        + "); resume within " + d + " or the rollout aborts");
        return Change.of(next, CanaryEvent.Kind.PAUSED, next.reason(), "canary.pause", SYSTEM);
    }

    private static CanaryRollout paused(CanaryRollout cur, CanaryState from, Instant expires, String reason) {
        return cur.with(CanaryState.PAUSED).withPause(from, expires).withReason(reason);
    }

    private static CanaryRollout towardsStable(CanaryRollout cur, CanaryState state, String reason) {
        return cur.with(state).withWake(null, null).withPause(null, null).withCounts(cur.failedAnalyses(), cur.inconclusive(), 0)
                .withReason(reason);
    }

    private static String summary(CanaryRollout r, AnalysisReport report) {
        String metrics = report.metrics().stream()
                .filter(m -> report.verdict() == Verdict.PASS
                        || m.verdict() != Verdict.PASS)
                .map(m -> m.metric() + " " + m.verdict() + ": " + m.reason())
                .collect(Collectors.joining("; "));
        return "analysis at step " + (r.stepIndex() + 1) + " (" + r.step().weight() + "%) " + report.verdict()
                + ", score " + report.score() + ": " + report.reason() + " [" + metrics + "]";
    }

    /**
     * Tells the router the weight the stored state stands for, and records the outcome. Serialised per rollout.
     * Returns the rollout as it then stands.
     */
    private CanaryRollout applyIntended(String id, TrafficRouter router, Hook hook) {
        ReentrantLock lock = routerLocks.computeIfAbsent(id, k -> new ReentrantLock());
        lock.lock();
        try {
            // read under the lock: another thread's abort may have moved the router since the caller's read
            CanaryRollout r = get(id);
            if (r.state() != CanaryState.SETTING_WEIGHT && r.state() != CanaryState.ROLLING_BACK && r.state() != CanaryState.ABORTING) {
                return r;
            }
            int weight = r.intendedWeight();
            hook.applying(r);
            try {
                router.apply(split(r, router, weight));
            } catch (RouterException e) {
                return routerFailed(r, weight, e, hook);
            }
            Instant now = clock.instant();
            return change(id, r.version(), cur -> switch (cur.state()) {
                case SETTING_WEIGHT -> {
                    if (cur.step().isFinal()) {
                        yield new Change(cur.with(CanaryState.SUCCEEDED).withStep(cur.stepIndex(), now, null)
                                .withReason("promoted: " + cur.spec().canaryBackend() + " takes 100% of the traffic"),
                                CanaryEvent.Kind.SUCCEEDED, "canary at 100%", null, null, null, "canary.succeed", SYSTEM);
                    }
                    Instant wake = now.plus(cur.step().pause());
                    yield new Change(cur.with(CanaryState.WAITING).withStep(cur.stepIndex(), now, wake).withWake(wake, null),
                            CanaryEvent.Kind.WEIGHT_SET, "canary at " + weight + "% until " + wake, null, null, null, null, SYSTEM);
                }
                case ROLLING_BACK -> new Change(cur.with(CanaryState.ROLLED_BACK).withWake(null, null),
                        CanaryEvent.Kind.ROLLED_BACK, "canary at 0%, " + cur.spec().stableBackend() + " serves all traffic; "
                        + cur.reason(), null, null, null, "canary.rolled-back", SYSTEM);
                case ABORTING -> new Change(cur.with(CanaryState.ABORTED).withWake(null, null),
                        CanaryEvent.Kind.ABORTED, "canary at 0%, " + cur.spec().stableBackend() + " serves all traffic; "
                        + cur.reason(), null, null, null, "canary.aborted", SYSTEM);
                default -> null;
            }, hook);
        } finally {
            lock.unlock();
        }
    }

    private CanaryRollout routerFailed(CanaryRollout r, int weight, RouterException e, Hook hook) {
        Instant now = clock.instant();
        LOGGER.log(Level.WARNING, "canary " + r.id() + ": router " + r.spec().router() + " failed to set " + weight + "%: " + e.getMessage());
        return change(r.id(), r.version(), cur -> {
            if (cur.state() == CanaryState.SETTING_WEIGHT) {
                CanaryRollout next = towardsStable(cur, CanaryState.ROLLING_BACK, "rolled back: router "
                        + cur.spec().router() + " failed to set the canary to " + weight + "%: " + e.getMessage());
                return Change.of(next, CanaryEvent.Kind.ROUTER_FAILED, next.reason(), "canary.rollback", SYSTEM);
            }
            int failures = cur.routerFailures() + 1;
            long backoff = Math.min(MAX_ROUTER_BACKOFF.toMillis(), 250L << Math.min(failures - 1, 10));
            String why = cur.reason() == null ? "" : cur.reason().replaceAll("; moving traffic back to stable failed .*$", "");
            CanaryRollout next = cur.withCounts(cur.failedAnalyses(), cur.inconclusive(), failures)
                    .withWake(now.plusMillis(backoff), null)
                    .withReason(why + "; moving traffic back to stable failed " + failures + " time(s), last: "
                            + e.getMessage() + "; retrying in " + backoff + " ms");
            return Change.of(next, CanaryEvent.Kind.ROUTER_FAILED, "router failed to set 0% (attempt " + failures + "): "
                    + e.getMessage(), null, SYSTEM);
        }, hook);
    }

    /** The split that puts the canary of {@code r} at {@code canaryWeight} on {@code router}. */
    static TrafficSplit split(CanaryRollout r, TrafficRouter router, int canaryWeight) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String b : router.backends()) {
            m.put(b, b.equals(r.spec().canaryBackend()) ? canaryWeight : b.equals(r.spec().stableBackend()) ? 100 - canaryWeight : 0);
        }
        return new TrafficSplit(m);
    }

    private static void checkRouter(CanaryRollout r, TrafficRouter router) {
        Objects.requireNonNull(router, "router");
        if (!router.name().equals(r.spec().router())) {
            throw new IllegalArgumentException("router: canary " + r.id() + " runs on '" + r.spec().router()
                    + "', not on '" + router.name() + "'");
        }
        for (String b : List.of(r.spec().stableBackend(), r.spec().canaryBackend())) {
            if (!router.backends().contains(b)) {
                throw new IllegalArgumentException("router: '" + router.name() + "' has no backend '" + b + "'; it has "
                        + router.backends());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- people

    /** Holds the canary at its weight; analyses stop until {@link #unpause}. A paused rollout stays paused. */
    public CanaryRollout pause(String id, String principal, String reason) {
        String who = Inputs.requirePrincipal(principal);
        String why = Inputs.reason(reason, false);
        return change(id, -1, cur -> {
            if (cur.state() == CanaryState.PAUSED) {
                return null;
            }
            if (cur.state() != CanaryState.WAITING && cur.state() != CanaryState.SETTING_WEIGHT) {
                throw new IllegalStateException("canary " + cur.id() + " is " + cur.state() + "; only a running rollout can be paused");
            }
            CanaryRollout next = paused(cur, cur.state(), null, "paused by " + who + (why == null ? "" : ": " + why));
            return Change.of(next, CanaryEvent.Kind.PAUSED, next.reason(), "canary.pause", who);
        });
    }

    /** Continues a paused rollout: its next analysis starts afresh (retries and deadline reset). */
    public CanaryRollout unpause(String id, String principal, String reason) {
        String who = Inputs.requirePrincipal(principal);
        String why = Inputs.reason(reason, false);
        Instant now = clock.instant();
        return change(id, -1, cur -> {
            if (cur.state() != CanaryState.PAUSED) {
                throw new IllegalStateException("canary " + cur.id() + " is " + cur.state() + ", not paused");
            }
            CanaryState back = cur.pausedFrom() == null ? CanaryState.WAITING : cur.pausedFrom();
            Instant wake = cur.wakeAt() == null || cur.wakeAt().isBefore(now) ? now : cur.wakeAt();
            CanaryRollout next = cur.with(back).withPause(null, null).withCounts(cur.failedAnalyses(), 0, 0)
                    .withWake(back == CanaryState.WAITING ? wake : null, null)
                    .withReason("resumed by " + who + (why == null ? "" : ": " + why));
            return Change.of(next, CanaryEvent.Kind.RESUMED, next.reason(), "canary.resume", who);
        });
    }

    /** Skips the remaining steps and analyses: the canary goes to 100% at the next {@link #advance}. */
    public CanaryRollout promote(String id, String principal, String reason) {
        String who = Inputs.requirePrincipal(principal);
        String why = Inputs.reason(reason, false);
        return change(id, -1, cur -> {
            if (cur.state() != CanaryState.WAITING && cur.state() != CanaryState.SETTING_WEIGHT && cur.state() != CanaryState.PAUSED) {
                throw new IllegalStateException("canary " + cur.id() + " is " + cur.state() + "; it can no longer be promoted");
            }
            CanaryRollout next = cur.with(CanaryState.SETTING_WEIGHT).withStep(cur.spec().plan().steps().size() - 1, null, null)
                    .withWake(null, null).withPause(null, null)
                    .withReason("promoted by " + who + (why == null ? "" : ": " + why));
            return Change.of(next, CanaryEvent.Kind.PROMOTE_REQUESTED, next.reason(), "canary.promote", who);
        });
    }

    /**
     * Sends all traffic back to stable at once (when {@code router} is given; else at the next {@link #advance})
     * and ends the rollout. Stable is left running; so is the canary, at 0%. An analysis running meanwhile is
     * not acted on. Aborting an aborted or rolled back rollout changes nothing.
     */
    public CanaryRollout abort(String id, String principal, String reason, TrafficRouter router) {
        String who = Inputs.requirePrincipal(principal);
        String why = Inputs.reason(reason, false);
        CanaryRollout r = change(id, -1, cur -> {
            if (cur.state() == CanaryState.SUCCEEDED) {
                throw new IllegalStateException("canary " + cur.id() + " has already taken 100% of the traffic; "
                        + "roll back with a new deployment instead");
            }
            if (cur.state().towardsStable()) {
                return null;
            }
            CanaryRollout next = towardsStable(cur, CanaryState.ABORTING, "aborted by " + who + (why == null ? "" : ": " + why));
            return Change.of(next, CanaryEvent.Kind.ABORT_REQUESTED, next.reason(), "canary.abort", who);
        });
        if (router != null && !r.state().terminal()) {
            checkRouter(r, router);
            return applyIntended(id, router, Hook.NONE);
        }
        return r;
    }

    /**
     * After a crash or restart: reads the router's real weights and reconciles them with the stored state. A
     * step whose weight the router lost (it restarted with its configured weights) is set again, its wait starting
     * over, since what was measured meanwhile was not the canary at that weight; a paused rollout gets its weight
     * back and stays paused. Then {@link #advance} or {@link #run} continue from there.
     */
    public CanaryRollout resume(String id, TrafficRouter router) {
        return resume(id, router, Hook.NONE);
    }

    /** {@link #resume(String, TrafficRouter)} with the caller's {@code hook} run inside each change's transaction. */
    CanaryRollout resume(String id, TrafficRouter router, Hook hook) {
        CanaryRollout r = get(id);
        checkRouter(r, router);
        if (r.state().terminal()) {
            return r;
        }
        int real;
        String readError = null;
        try {
            real = router.read().of(r.spec().canaryBackend());
        } catch (RouterException e) {
            real = -1;
            readError = e.getMessage();
        }
        int observed = real;
        String note = "resumed in " + r.state() + " at step " + (r.stepIndex() + 1) + "; router reports the canary at "
                + (observed < 0 ? "? (" + readError + ")" : observed + "%") + ", intended " + r.intendedWeight() + "%";
        LOGGER.info(() -> "canary " + id + ": " + note);
        CanaryRollout after = change(id, r.version(), cur -> {
            if (cur.state() == CanaryState.WAITING && observed != cur.intendedWeight()) {
                CanaryRollout next = cur.with(CanaryState.SETTING_WEIGHT).withWake(null, null)
                        .withReason(note + "; setting it again");
                return Change.of(next, CanaryEvent.Kind.RECOVERED, next.reason(), null, SYSTEM);
            }
            return Change.of(cur, CanaryEvent.Kind.RECOVERED, note, null, SYSTEM);
        }, hook);
        if (after.state() == CanaryState.PAUSED && observed != after.intendedWeight()) {
            ReentrantLock lock = routerLocks.computeIfAbsent(id, k -> new ReentrantLock());
            lock.lock();
            try {
                CanaryRollout cur = get(id);
                if (cur.state() == CanaryState.PAUSED) {
                    hook.applying(cur);
                    router.apply(split(cur, router, cur.intendedWeight()));
                    change(id, cur.version(), c -> Change.of(c, CanaryEvent.Kind.WEIGHT_SET,
                            "paused: canary set back to " + c.intendedWeight() + "% after the restart", null, SYSTEM), hook);
                }
            } catch (RouterException e) {
                LOGGER.log(Level.WARNING, "canary " + id + ": could not set the paused weight again: " + e.getMessage());
            } finally {
                lock.unlock();
            }
        }
        return get(id);
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * Applies {@code decision} to the stored rollout in one transaction with its event and audit record.
     * {@code expectedVersion} (or -1 for any) makes it a no-op when someone changed the rollout meanwhile.
     * A change whose {@code next} is the current rollout itself records only its event.
     */
    private CanaryRollout change(String id, long expectedVersion, Decision decision) {
        return change(id, expectedVersion, decision, Hook.NONE);
    }

    /** {@link #change(String, long, Decision)}, with {@code hook}'s work in the same transaction. */
    private CanaryRollout change(String id, long expectedVersion, Decision decision, Hook hook) {
        Instant now = clock.instant();
        CanaryRollout result = store.inTransaction(c -> {
            CanaryRollout written = write(c, id, expectedVersion, decision, now);
            hook.inTransaction(c, written);
            return written;
        });
        hook.committed(result);
        Object monitor = monitor(id);
        synchronized (monitor) {
            monitor.notifyAll();
        }
        return result;
    }

    private CanaryRollout write(Connection c, String id, long expectedVersion, Decision decision, Instant now) throws SQLException {
        CanaryRollout cur = CanaryStore.load(c, id)
                .orElseThrow(() -> new IllegalArgumentException("canary: no rollout '" + Inputs.printable(id) + "'"));
        if (expectedVersion >= 0 && cur.version() != expectedVersion) {
            return cur;
        }
        Change ch = decision.decide(cur);
        if (ch == null) {
            return cur;
        }
        CanaryRollout written = cur;
        if (ch.next() != cur) {
            written = new CanaryRollout(ch.next().spec(), ch.next().state(), ch.next().stepIndex(),
                    ch.next().failedAnalyses(), ch.next().inconclusive(), ch.next().routerFailures(),
                    ch.next().stepStartedAt(), ch.next().wakeAt(), ch.next().analysisSince(), ch.next().pausedFrom(),
                    ch.next().pauseExpiresAt(), ch.next().reason(), cur.startedBy(), cur.createdAt(), now,
                    cur.version() + 1);
            if (!CanaryStore.compareAndSet(c, written)) {
                throw new SQLException("canary " + id + " changed concurrently", "40001");
            }
        }
        // the compare-and-set holds the row's lock already: the event need not take it again
        recordEvent(c, written, now, ch, written != cur);
        if (ch.auditAction() != null) {
            audit.append(c, ch.principal(), new AuditEvent(ch.auditAction(), scope(id), reasonFor(ch), stateJson(cur),
                    stateJson(written)));
        }
        return written;
    }

    private static String reasonFor(Change ch) {
        String m = ch.message();
        return m == null ? null : m.length() > Inputs.MAX_REASON ? m.substring(0, Inputs.MAX_REASON - 3) + "..." : m;
    }

    private static void recordEvent(Connection c, CanaryRollout r, Instant now, Change ch, boolean rowLocked) throws SQLException {
        CanaryStore.appendEvent(c, r, now, ch.kind(), r.intendedWeight(), ch.verdict(), ch.score(), ch.principal(),
                ch.message(), ch.detail(), rowLocked);
    }

    private Object monitor(String id) {
        return monitors.computeIfAbsent(id, k -> new Object());
    }

    private static AuditScope scope(String id) {
        return AuditScope.of(AuditScope.Kind.ROLLOUT, "canary/" + id);
    }

    private static String stateJson(CanaryRollout r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", r.state().name());
        m.put("step", r.stepIndex() + 1);
        m.put("weight", r.intendedWeight());
        m.put("failedAnalyses", r.failedAnalyses());
        return json(m);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads back the metric results of an analysis event's {@code detail}. */
    public static List<MetricResult> metricsOf(CanaryEvent event) {
        if (event.detail() == null) {
            return List.of();
        }
        try {
            return JSON.readValue(event.detail(), AnalysisReport.class).metrics();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.seq() + " of canary " + event.rolloutId() + " holds unreadable JSON", e);
        }
    }
}
