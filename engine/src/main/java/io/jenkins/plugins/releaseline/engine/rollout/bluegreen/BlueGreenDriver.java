package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.drive.Driver;
import io.jenkins.plugins.releaseline.engine.drive.DriverRecords;
import io.jenkins.plugins.releaseline.engine.drive.EffectJournal;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
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

/**
 * One blue-green rollout, from the deploy body to WARM (or COMPLETED), one bounded unit of work per {@link #advance}:
 * the deploy body ({@link Next.RunBody}), one health-check request of the idle colour per advance until it passes or its
 * deadline, one read of the router's view of the idle colour per advance, one weight step per advance with the step
 * pause as a {@link Next.Wait}, one read back of the router, one front-check request per advance, and the end. Any
 * failure after traffic started to move switches back ({@link BlueGreenPhase#ROLLED_BACK}), or says
 * {@link BlueGreenPhase#UNRESOLVED} when even that cannot be confirmed.
 *
 * <p>Its state is a row of {@link DriverRecords} (kind {@value #KIND}) next to the rollout the
 * {@link BlueGreenController} keeps. Each side effect is journaled in {@link EffectJournal} before and after: the deploy
 * body ({@code deploy-body}), each weight step ({@code weights-<percent>}), the switch back ({@code weights-back}). After
 * a crash, a step found begun but not done is reconciled by reading the router; the deploy body is never run twice (a
 * body asked for and not reported is awaited, {@link Next.AwaitBody}).
 *
 * <p>With the pipeline's own code as router ({@link CommandRouter}), each weight change is a {@link Next.RunBody} with
 * {@code RELEASE_LINE_PHASE=route} and the weights; the body's result (a split as text) comes back through
 * {@link #bodyFinished}'s detail and is recorded as that router's report.
 */
public final class BlueGreenDriver implements Driver {

    public static final String KIND = "bluegreen";
    public static final String PHASE = "RELEASE_LINE_PHASE";
    public static final String LIVE_COLOR = "RELEASE_LINE_LIVE_COLOR";
    public static final String ROLLOUT_ID = "RELEASE_LINE_ROLLOUT_ID";
    public static final String TARGET_URL = "RELEASE_LINE_TARGET_URL";
    /** How often the router is asked whether it sees the idle colour up, while its own checks catch up. */
    static final Duration ROUTER_POLL = Duration.ofMillis(500);
    static final String DEPLOY_BODY = "deploy";
    static final String BACK = "back";

    /** The driver's own steps; the rollout's phase is the controller's. */
    enum Stage { START, DEPLOY, CHECK_IDLE, ROUTER_VIEW, SWITCH, VERIFY_SWITCH, FRONT_CHECK, SWITCH_BACK, DONE, FAILED }

    /** The stored document. Public fields for the JSON mapper. */
    public static final class State {
        public BlueGreenPlan plan;
        public long rolloutId = -1;
        /** The body asked for and not yet reported on; its outcome once reported. */
        public String body;
        public Boolean bodyOk;
        public String bodyDetail;
        public long deadlineMillis;
        public HealthCheck.Progress check;
        public String passed;
        public int step;
        public long notBeforeMillis;
        /** Why traffic goes back (kept across the advances of a pipeline router's switch back). */
        public String why;
        public String result;
    }

    /**
     * Another advance or a body's report changed the driver's row while this advance ran: nothing of this advance's
     * record was written. Advance again: a side effect it may have caused is journaled as begun and reconciled.
     */
    public static final class Concurrent extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Concurrent(String id) {
            super("blue-green driver " + id + " was advanced elsewhere at the same time; nothing was recorded; advance again");
        }
    }

    private final Store store;
    private final Clock clock;
    private final BlueGreenController controller;
    private final String id;
    private final TrafficRouter router;
    private final AuditTrail audit;

    private BlueGreenDriver(Store store, AuditTrail audit, Clock clock, String id, TrafficRouter router) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.controller = new BlueGreenController(store, audit, clock);
        this.id = Objects.requireNonNull(id, "id");
        this.router = Objects.requireNonNull(router, "router");
    }

    /**
     * Records a new rollout driver (nothing else happens until the first {@link #advance}); with an id that exists
     * already (a retried start), that driver is returned as it is. Throws IllegalArgumentException for a bad plan.
     */
    public static BlueGreenDriver create(Store store, AuditTrail audit, Clock clock, String id, TrafficRouter router, BlueGreenPlan plan) {
        if (router.backends().size() != 2) {
            throw new IllegalArgumentException("router: blue-green needs a router with exactly two backends; '" + router.name()
                    + "' has " + router.backends());
        }
        plan.validate(router.backends());
        State s = new State();
        s.plan = plan;
        Instant now = clock.instant();
        store.inTransaction(c -> DriverRecords.insert(c, id, KIND, store.controllerId(), Stage.START.name(), s, now));
        return open(store, audit, clock, id, router);
    }

    /** The driver {@code id} on this store, moving traffic through {@code router} (built anew by each caller). */
    public static BlueGreenDriver open(Store store, AuditTrail audit, Clock clock, String id, TrafficRouter router) {
        return new BlueGreenDriver(store, audit, clock, id, router);
    }

    @Override
    public String id() {
        return id;
    }

    /** The rollout this driver runs, once it started one. */
    public Optional<BlueGreenRollout> rollout() {
        long rid = row().document(State.class).rolloutId;
        return rid < 0 ? Optional.empty() : controller.get(rid);
    }

    // ---------------------------------------------------------------------------------------------- the driver

    @Override
    public Next advance(Instant now) {
        DriverRecords.Row row = row();
        State s = row.document(State.class);
        Stage stage = Stage.valueOf(row.phase());
        if (stage == Stage.DONE) {
            return new Next.Done(s.result, s.why);
        }
        if (stage == Stage.FAILED) {
            return new Next.Failed(s.why);
        }
        BlueGreenRollout r = s.rolloutId < 0 ? null : controller.get(s.rolloutId).orElseThrow();
        if (r != null && ended(r.phase())) {
            return finish(row, s, r);
        }
        if (row.stopReason() != null) {
            Next stopping = stop(row, s, stage, r, now);
            if (stopping != null) {
                return stopping;
            }
        }
        return switch (stage) {
            case START -> start(row, s, now);
            case DEPLOY -> deploy(row, s, r, now);
            case CHECK_IDLE -> checkIdle(row, s, r, now);
            case ROUTER_VIEW -> routerView(row, s, r, now);
            case SWITCH -> switchStep(row, s, r, now);
            case VERIFY_SWITCH -> verifySwitch(row, s, r, now);
            case FRONT_CHECK -> frontCheck(row, s, r, now);
            case SWITCH_BACK -> switchBack(row, s, r, now);
            case DONE, FAILED -> throw new IllegalStateException("unreachable");
        };
    }

    @Override
    public void bodyFinished(String bodyId, boolean succeeded, String detail) {
        Instant now = clock.instant();
        store.inTransaction(c -> {
            DriverRecords.Row row = DriverRecords.lock(c, id).orElseThrow(() -> missing());
            State s = row.document(State.class);
            if (!bodyId.equals(s.body) || s.bodyOk != null) {
                return false; // a second report, or one for a body this driver no longer waits for
            }
            s.bodyOk = succeeded;
            s.bodyDetail = detail == null ? null : EffectJournalText.clip(detail);
            if (DEPLOY_BODY.equals(bodyId)) {
                EffectJournal.done(c, id, "deploy-body", succeeded ? "succeeded" : "failed: " + s.bodyDetail, now);
            }
            return DriverRecords.update(c, id, row.version(), row.phase(), s, now);
        });
    }

    @Override
    public void requestStop(String reason) {
        Instant now = clock.instant();
        store.inTransaction(c -> DriverRecords.requestStop(c, id, reason, now));
    }

    // ---------------------------------------------------------------------------------------------- stages

    private Next start(DriverRecords.Row row, State s, Instant now) {
        BlueGreenPlan plan = s.plan;
        Stage next = plan.deployBody() ? Stage.DEPLOY : Stage.CHECK_IDLE;
        BlueGreenRollout r;
        try {
            r = controller.start(plan.environment(), router, plan.version(), plan.principal(), (c, started) -> {
                s.rolloutId = started.id();
                if (next == Stage.CHECK_IDLE) {
                    enterCheck(s, plan.healthCheck().resolve(started.targetColour(), plan.targetUrls()), now);
                }
                if (!saveIn(c, row, next, s, now)) {
                    throw new Concurrent(id);
                }
            });
        } catch (Concurrent e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException | RouterException e) {
            s.why = "the rollout did not start: " + e.getMessage();
            save(row, Stage.FAILED, s, now);
            return new Next.Failed(s.why);
        }
        if (next == Stage.CHECK_IDLE) {
            controller.moveTo(r, BlueGreenPhase.DEPLOYING, BlueGreenPhase.VERIFYING_IDLE, plan.principal(),
                    "checking " + plan.healthCheck().resolve(r.targetColour(), plan.targetUrls()).url());
        }
        return new Next.Wait(now, "rollout #" + r.id() + ": " + r.liveColour() + " is live on router " + router.name()
                + ", deploying to " + r.targetColour());
    }

    private Next deploy(DriverRecords.Row row, State s, BlueGreenRollout r, Instant now) {
        if (s.body == null) {
            boolean asked = store.inTransaction(c -> {
                if (EffectJournal.state(c, id, "deploy-body") != EffectJournal.State.NONE) {
                    return false;
                }
                EffectJournal.begin(c, id, "deploy-body", "deploy " + r.version() + " to " + r.targetColour(), now);
                s.body = DEPLOY_BODY;
                return saveIn(c, row, Stage.DEPLOY, s, now);
            });
            if (!asked) {
                throw new IllegalStateException("blue-green driver " + id + ": the deploy body was asked for already");
            }
            Map<String, String> env = new LinkedHashMap<>();
            env.put(PHASE, "deploy");
            env.put(CommandRouter.TARGET_COLOR, r.targetColour());
            env.put(LIVE_COLOR, r.liveColour());
            env.put(ROLLOUT_ID, Long.toString(r.id()));
            String url = s.plan.targetUrls().get(r.targetColour());
            if (url != null) {
                env.put(TARGET_URL, url);
            }
            return new Next.RunBody(DEPLOY_BODY, "deploy", env, "deploying " + (r.version() == null ? "" : r.version() + " ")
                    + "to " + r.targetColour() + " (" + r.liveColour() + " serves)");
        }
        if (s.bodyOk == null) {
            return new Next.AwaitBody(s.body, "the deploy to " + r.targetColour() + " runs");
        }
        if (!s.bodyOk) {
            return finish(row, s, controller.deployFailed(r.id(), router, s.plan.principal(), s.bodyDetail));
        }
        HealthCheck check = s.plan.healthCheck().resolve(r.targetColour(), s.plan.targetUrls());
        controller.moveTo(r, BlueGreenPhase.DEPLOYING, BlueGreenPhase.VERIFYING_IDLE, s.plan.principal(), "checking " + check.url());
        clearBody(s);
        enterCheck(s, check, now);
        save(row, Stage.CHECK_IDLE, s, now);
        return new Next.Wait(now, "deployed to " + r.targetColour() + "; checking " + check.url());
    }

    private Next checkIdle(DriverRecords.Row row, State s, BlueGreenRollout r, Instant now) {
        HealthCheck check = s.plan.healthCheck().resolve(r.targetColour(), s.plan.targetUrls());
        controller.moveTo(r, BlueGreenPhase.DEPLOYING, BlueGreenPhase.VERIFYING_IDLE, s.plan.principal(), "checking " + check.url());
        s.check = s.check.after(check.attemptOnce());
        if (s.check.passed(check)) {
            s.passed = s.check.summary(check);
            s.deadlineMillis = now.plus(check.deadline()).toEpochMilli();
            save(row, Stage.ROUTER_VIEW, s, now);
            return new Next.Wait(now, s.passed + "; asking router " + router.name() + " how it sees " + r.targetColour());
        }
        if (now.plus(check.interval()).toEpochMilli() >= s.deadlineMillis) {
            save(row, Stage.CHECK_IDLE, s, now);
            return finish(row(), s, controller.endUnswitched(r, router, s.plan.principal(), "the idle colour " + r.targetColour()
                    + " is not healthy: " + s.check.summary(check)));
        }
        save(row, Stage.CHECK_IDLE, s, now);
        return new Next.Wait(now.plus(check.interval()), "check " + s.check.lastOutcomes().get(s.check.lastOutcomes().size() - 1));
    }

    private Next routerView(DriverRecords.Row row, State s, BlueGreenRollout r, Instant now) {
        String seen;
        try {
            BackendHealth h = router.health().get(r.targetColour());
            if (h == null || h.state() == BackendHealth.State.UP || h.state() == BackendHealth.State.UNKNOWN
                    || h.state() == BackendHealth.State.DRAINING) {
                controller.moveTo(r, BlueGreenPhase.VERIFYING_IDLE, BlueGreenPhase.IDLE_HEALTHY, s.plan.principal(), s.passed);
                s.step = 0;
                s.notBeforeMillis = now.toEpochMilli();
                save(row, Stage.SWITCH, s, now);
                return new Next.Wait(now, r.targetColour() + " is healthy; switching in steps " + s.plan.steps());
            }
            if (h.state() != BackendHealth.State.MAINTENANCE && now.toEpochMilli() < s.deadlineMillis) {
                return new Next.Wait(now.plus(ROUTER_POLL), "router " + router.name() + " sees " + r.targetColour() + " " + h.state());
            }
            seen = h.state() + " (" + h.detail() + ")";
        } catch (RouterException e) {
            seen = "not at all: " + e.getMessage();
        }
        HealthCheck check = s.plan.healthCheck().resolve(r.targetColour(), s.plan.targetUrls());
        return finish(row, s, controller.endUnswitched(r, router, s.plan.principal(), "the idle colour " + r.targetColour()
                + " answers " + check.url() + ", but router " + router.name() + " sees it " + seen));
    }

    private Next switchStep(DriverRecords.Row row, State s, BlueGreenRollout r, Instant now) {
        List<Integer> steps = s.plan.steps();
        if (r.phase() == BlueGreenPhase.IDLE_HEALTHY) {
            controller.keepWarmFor(r.id(), Duration.ofMillis(s.plan.keepWarmMillis()));
            r = controller.moveTo(r, BlueGreenPhase.IDLE_HEALTHY, BlueGreenPhase.SWITCHING, s.plan.principal(),
                    "moving traffic to " + r.targetColour() + " in steps " + steps);
        }
        if (s.step >= steps.size()) {
            return enterVerify(row, s, r, now);
        }
        if (now.toEpochMilli() < s.notBeforeMillis) {
            return new Next.Wait(Instant.ofEpochMilli(s.notBeforeMillis), "pausing between steps");
        }
        int p = steps.get(s.step);
        TrafficSplit want = TrafficSplit.of(r.liveColour(), r.targetColour(), p);
        String effect = "weights-" + p;
        EffectJournal.State done = store.read(c -> EffectJournal.state(c, id, effect));
        if (done == EffectJournal.State.DONE) {
            return stepDone(row, s, r, p, null, now); // recorded, but the state after it was not: carry on
        }
        if (router instanceof CommandRouter command) {
            return routeByBody(row, s, r, command, want, effect, now);
        }
        if (done == EffectJournal.State.BEGUN) {
            TrafficSplit seen;
            try {
                seen = router.read();
            } catch (RouterException e) {
                return toSwitchBack(row, s, "router " + router.name() + " could not be read to reconcile the step to " + p + "%: "
                        + e.getMessage(), now);
            }
            if (seen.equals(want)) {
                return stepDone(row, s, r, p, seen, now);
            }
            TrafficSplit before = s.step == 0 ? TrafficSplit.all(r.liveColour(), router.backends())
                    : TrafficSplit.of(r.liveColour(), r.targetColour(), steps.get(s.step - 1));
            if (!seen.equals(before)) {
                return toSwitchBack(row, s, "router " + router.name() + " reads " + seen.percent() + ", neither " + before.percent()
                        + " nor " + want.percent() + ", after an interrupted step to " + p + "%", now);
            }
        } else {
            store.inTransaction(c -> {
                EffectJournal.begin(c, id, effect, "set " + CommandRouter.format(want), now);
                return null;
            });
        }
        try {
            return stepDone(row, s, r, p, router.apply(want), now);
        } catch (RouterException e) {
            return toSwitchBack(row, s, "the switch to " + r.targetColour() + " failed at " + p + "%: " + e.getMessage(), now);
        }
    }

    /** A pipeline router: the body sets the weights and reports them; the report is recorded as the router's. */
    private Next routeByBody(DriverRecords.Row row, State s, BlueGreenRollout r, CommandRouter command, TrafficSplit want,
                             String effect, Instant now) {
        String bodyId = "route-" + want.of(r.targetColour());
        if (s.body == null) {
            askBody(row, s, bodyId, effect, want, now);
            return new Next.RunBody(bodyId, "route", routeEnvironment(want, r.targetColour(), want.of(r.targetColour())),
                    "routing: " + CommandRouter.format(want));
        }
        if (s.bodyOk == null) {
            return new Next.AwaitBody(s.body, "the routing code sets " + CommandRouter.format(want));
        }
        String failure = recordReport(s, r, command, want);
        if (failure != null) {
            clearBody(s);
            return toSwitchBack(row, s, "the switch to " + r.targetColour() + " failed at " + want.of(r.targetColour()) + "%: "
                    + failure, now);
        }
        clearBody(s);
        return stepDone(row, s, r, want.of(r.targetColour()), want, now);
    }

    /** Null once the body's report is recorded and is what was asked; otherwise what went wrong. */
    private String recordReport(State s, BlueGreenRollout r, CommandRouter command, TrafficSplit want) {
        if (!s.bodyOk) {
            return "the routing code failed: " + s.bodyDetail;
        }
        if (s.bodyDetail == null || s.bodyDetail.isBlank()) {
            return "router " + command.name() + ": the pipeline's code reported no split; it must return what it put in effect";
        }
        try {
            CommandRouter.Report report = new CommandRouter.Report(CommandRouter.parse(s.bodyDetail), s.bodyDetail);
            new CommandRouter(command.name(), command.backends(), r.liveColour(), (target, env) -> report, store, audit, clock,
                    s.plan.principal()).apply(want);
            return null;
        } catch (IllegalArgumentException | RouterException e) {
            return "router " + command.name() + ": " + e.getMessage();
        }
    }

    private void askBody(DriverRecords.Row row, State s, String bodyId, String effect, TrafficSplit want, Instant now) {
        s.body = bodyId;
        s.bodyOk = null;
        s.bodyDetail = null;
        store.inTransaction(c -> {
            EffectJournal.begin(c, id, effect, "route " + CommandRouter.format(want), now);
            if (!saveIn(c, row, Stage.valueOf(row.phase()), s, now)) {
                throw new Concurrent(id);
            }
            return null;
        });
    }

    static Map<String, String> routeEnvironment(TrafficSplit want, String gaining, int gainingWeight) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(PHASE, "route");
        env.put(CommandRouter.TARGET_COLOR, gaining);
        env.put(CommandRouter.CANARY_WEIGHT, Integer.toString(gainingWeight));
        env.put(CommandRouter.WEIGHTS, CommandRouter.format(want));
        return env;
    }

    private Next stepDone(DriverRecords.Row row, State s, BlueGreenRollout r, int p, TrafficSplit got, Instant now) {
        Duration pause = p < 100 ? Duration.ofMillis(s.plan.stepPauseMillis()) : Duration.ZERO;
        s.step++;
        s.notBeforeMillis = now.plus(pause).toEpochMilli();
        String seen = got == null ? "" : "router reads " + got.percent();
        store.inTransaction(c -> {
            EffectJournal.done(c, id, "weights-" + p, seen, now);
            if (!saveIn(c, row, Stage.SWITCH, s, now)) {
                throw new Concurrent(id);
            }
            return null;
        });
        if (p < 100 && got != null) {
            controller.note(r.id(), BlueGreenPhase.SWITCHING, s.plan.principal(), seen);
        }
        return new Next.Wait(now.plus(pause), r.targetColour() + " at " + p + "%" + (got == null ? "" : ": " + seen));
    }

    private Next enterVerify(DriverRecords.Row row, State s, BlueGreenRollout r, Instant now) {
        r = controller.moveTo(r, BlueGreenPhase.SWITCHING, BlueGreenPhase.VERIFYING_SWITCH, s.plan.principal(),
                "router took the switch; verifying");
        save(row, Stage.VERIFY_SWITCH, s, now);
        return verifySwitch(row(), s, r, now);
    }

    private Next verifySwitch(DriverRecords.Row row, State s, BlueGreenRollout r, Instant now) {
        TrafficSplit seen;
        try {
            seen = router.read();
        } catch (RouterException e) {
            return toSwitchBack(row, s, "router " + router.name() + " could not be read back after the switch: " + e.getMessage(), now);
        }
        if (seen.of(r.targetColour()) != 100) {
            return toSwitchBack(row, s, "router " + router.name() + " reads " + seen.percent() + " after the switch, not all on "
                    + r.targetColour(), now);
        }
        if (s.plan.frontCheck() == null) {
            return finish(row, s, controller.verified(r, s.plan.principal(), "verified: router " + router.name() + " reads "
                    + r.targetColour() + " 100%"));
        }
        enterCheck(s, s.plan.frontCheck().resolve(r.targetColour(), s.plan.targetUrls()), now);
        save(row, Stage.FRONT_CHECK, s, now);
        return new Next.Wait(now, "router " + router.name() + " reads " + seen.percent() + "; checking the front");
    }

    private Next frontCheck(DriverRecords.Row row, State s, BlueGreenRollout r, Instant now) {
        HealthCheck check = s.plan.frontCheck().resolve(r.targetColour(), s.plan.targetUrls());
        s.check = s.check.after(check.attemptOnce());
        if (s.check.passed(check)) {
            save(row, Stage.FRONT_CHECK, s, now);
            return finish(row(), s, controller.verified(r, s.plan.principal(), "verified: router " + router.name() + " reads "
                    + r.targetColour() + " 100% and the front answers from " + r.targetColour()));
        }
        if (now.plus(check.interval()).toEpochMilli() >= s.deadlineMillis) {
            return toSwitchBack(row, s, "requests through the front do not reach " + r.targetColour() + ": " + s.check.summary(check), now);
        }
        save(row, Stage.FRONT_CHECK, s, now);
        return new Next.Wait(now.plus(check.interval()), "front check " + s.check.lastOutcomes().get(s.check.lastOutcomes().size() - 1));
    }

    /** Records why traffic goes back; the switch back itself is the next advance's one unit of work. */
    private Next toSwitchBack(DriverRecords.Row row, State s, String why, Instant now) {
        s.why = why;
        clearBody(s);
        save(row, Stage.SWITCH_BACK, s, now);
        return new Next.Wait(now, why + "; switching back");
    }

    private Next switchBack(DriverRecords.Row row, State s, BlueGreenRollout r, Instant now) {
        String who = s.plan.principal();
        if (router instanceof CommandRouter command) {
            TrafficSplit want = TrafficSplit.all(r.liveColour(), router.backends());
            if (s.body == null) {
                askBody(row, s, "route-" + BACK, "weights-" + BACK, want, now);
                return new Next.RunBody("route-" + BACK, "route", routeEnvironment(want, r.liveColour(), 100),
                        "routing back: " + CommandRouter.format(want));
            }
            if (s.bodyOk == null) {
                return new Next.AwaitBody(s.body, "the routing code sets " + CommandRouter.format(want));
            }
            String failure = recordReport(s, r, command, want);
            CommandRouter replay = new CommandRouter(command.name(), command.backends(), r.liveColour(), (target, env) -> {
                throw new RouterException(failure, false);
            }, store, audit, clock, who);
            BlueGreenRollout out = failure == null
                    ? controller.switchBackNow(r, command, who, s.why)
                    : controller.switchBackNow(r, replay, who, s.why);
            return finish(row, s, out);
        }
        store.inTransaction(c -> {
            EffectJournal.begin(c, id, "weights-" + BACK, "all traffic back to " + r.liveColour(), now);
            return null;
        });
        BlueGreenRollout out = controller.switchBackNow(r, router, who, s.why);
        store.inTransaction(c -> {
            EffectJournal.done(c, id, "weights-" + BACK, out.phase() + ": " + out.detail(), now);
            return null;
        });
        return finish(row, s, out);
    }

    /** Null when the stop changes nothing yet (the switch back already runs). */
    private Next stop(DriverRecords.Row row, State s, Stage stage, BlueGreenRollout r, Instant now) {
        String why = "stopped: " + row.stopReason();
        if (r == null) {
            s.why = why + "; the rollout had not started, nothing changed";
            save(row, Stage.FAILED, s, now);
            return new Next.Failed(s.why);
        }
        boolean moved = switch (stage) {
            case START, DEPLOY, CHECK_IDLE, ROUTER_VIEW -> false;
            case SWITCH -> s.step > 0 || s.body != null
                    || store.read(c -> EffectJournal.state(c, id, "weights-" + s.plan.steps().get(0))) != EffectJournal.State.NONE;
            default -> true;
        };
        if (!moved) {
            return finish(row, s, controller.endUnswitched(r, router, s.plan.principal(), why + " before the switch"));
        }
        if (stage == Stage.SWITCH_BACK) {
            return null;
        }
        if (s.body != null && s.bodyOk == null) {
            return new Next.AwaitBody(s.body, why + "; switching back once the routing code returns");
        }
        return toSwitchBack(row, s, why, now);
    }

    private Next finish(DriverRecords.Row row, State s, BlueGreenRollout r) {
        Instant now = clock.instant();
        boolean ok = r.phase() == BlueGreenPhase.WARM || r.phase() == BlueGreenPhase.COMPLETED;
        if (!ended(r.phase())) {
            // the step above did not end the rollout (a concurrent change): decide at the next advance
            return new Next.Wait(now, "rollout #" + r.id() + " is " + r.phase());
        }
        s.result = ok ? r.targetColour() : null;
        s.why = "rollout #" + r.id() + " " + r.phase() + ": " + r.detail();
        clearBody(s);
        DriverRecords.Row current = row();
        save(current, ok ? Stage.DONE : Stage.FAILED, s, now);
        return ok ? new Next.Done(s.result, s.why) : new Next.Failed(s.why);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    static boolean ended(BlueGreenPhase p) {
        return !p.active() || p == BlueGreenPhase.WARM || p == BlueGreenPhase.UNRESOLVED;
    }

    private static void enterCheck(State s, HealthCheck check, Instant now) {
        s.check = HealthCheck.Progress.none();
        s.deadlineMillis = now.plus(check.deadline()).toEpochMilli();
    }

    private static void clearBody(State s) {
        s.body = null;
        s.bodyOk = null;
        s.bodyDetail = null;
    }

    private DriverRecords.Row row() {
        return store.read(c -> DriverRecords.load(c, id)).orElseThrow(this::missing);
    }

    private IllegalArgumentException missing() {
        return new IllegalArgumentException("blue-green driver " + id + " does not exist");
    }

    private void save(DriverRecords.Row loaded, Stage stage, State s, Instant now) {
        boolean saved = store.inTransaction(c -> saveIn(c, loaded, stage, s, now));
        if (!saved) {
            throw new Concurrent(id);
        }
    }

    /**
     * Writes the new stage and document if nobody but a stop request changed the row since {@code loaded} was read
     * (a stop request only sets its reason, so it never loses this advance's record of what it did).
     */
    private boolean saveIn(Connection c, DriverRecords.Row loaded, Stage stage, State s, Instant now) throws SQLException {
        DriverRecords.Row current = DriverRecords.lock(c, id).orElseThrow(this::missing);
        if (current.version() != loaded.version()
                && (!current.phase().equals(loaded.phase()) || !current.document().equals(loaded.document()))) {
            return false;
        }
        return DriverRecords.update(c, id, current.version(), stage.name(), s, now);
    }

    /** Clips text for the journal and the document. */
    static final class EffectJournalText {
        static String clip(String s) {
            return s.length() <= 2000 ? s : s.substring(0, 2000);
        }
    }
}
