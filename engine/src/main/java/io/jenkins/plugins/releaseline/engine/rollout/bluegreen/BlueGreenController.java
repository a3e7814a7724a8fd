package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.ChangeSignals;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Blue-green rollouts as a persisted state machine: deploy to the idle colour, check it, switch the router
 * (at once or in a few quick steps), verify by reading the router back (and, when asked, by requests through
 * the front reaching the new colour), keep the old colour warm, retire it. Each transition is stored with its
 * time and audited in the same transaction. Router calls happen between transactions, after the phase that
 * announces them is stored, so that {@link #resume} after a crash knows what may have happened and asks the
 * router. Nothing is reported as switched unless the router was read back showing it.
 */
public final class BlueGreenController {

    private static final Logger LOGGER = Logger.getLogger(BlueGreenController.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String SIGNAL_TOPIC = "rollout";
    private static final int MAX_DETAIL = 4000;

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;

    public BlueGreenController(Store store, AuditTrail audit, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * How to switch: {@code steps} are the new colour's percentages in order, ending at 100 (just {@code [100]}: all
     * at once), {@code stepPause} between them; {@code keepWarm} how long the old colour stays ready for a rollback
     * (zero: retired at once); {@code frontCheck}, when given, must pass through the router's front after the switch
     * (typically a body pattern naming the new colour), or the switch is rolled back.
     */
    public record SwitchOptions(List<Integer> steps, Duration stepPause, Duration keepWarm, HealthCheck frontCheck) {
        public SwitchOptions {
            steps = steps == null || steps.isEmpty() ? List.of(100) : List.copyOf(steps);
            int prev = 0;
            for (int p : steps) {
                if (p <= prev || p > 100) {
                    throw new IllegalArgumentException("steps: " + steps + " must rise strictly within 1..100 and end at 100");
                }
                prev = p;
            }
            if (prev != 100) {
                throw new IllegalArgumentException("steps: " + steps + " must end at 100");
            }
            if (steps.size() > 10) {
                throw new IllegalArgumentException("steps: at most 10 steps; a gradual rollout with analysis is a canary");
            }
            stepPause = stepPause == null ? Duration.ZERO : stepPause;
            keepWarm = keepWarm == null ? Duration.ZERO : keepWarm;
            if (stepPause.isNegative() || stepPause.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("stepPause: " + stepPause + " is outside 0..5 minutes");
            }
            if (keepWarm.isNegative() || keepWarm.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("keepWarm: " + keepWarm + " is outside 0..7 days");
            }
        }

        public static SwitchOptions allAtOnce(Duration keepWarm) {
            return new SwitchOptions(List.of(100), Duration.ZERO, keepWarm, null);
        }
    }

    // ---------------------------------------------------------------------------------------------- starting

    /**
     * Starts a rollout of {@code version} to {@code environment}: reads the router to find the live colour (all
     * traffic on one backend), records the other one as the target, and enters {@link BlueGreenPhase#DEPLOYING}.
     * Refused while another rollout holds the environment, or while the router splits traffic.
     */
    public BlueGreenRollout start(String environment, TrafficRouter router, String version, String principal) {
        return start(environment, router, version, principal, (c, r) -> {});
    }

    /** Work done in the transaction that records a new rollout (a driver notes the rollout's id in its own row). */
    @FunctionalInterface
    interface StartHook {
        void started(Connection c, BlueGreenRollout rollout) throws SQLException;
    }

    BlueGreenRollout start(String environment, TrafficRouter router, String version, String principal, StartHook hook) {
        String env = Inputs.requireName("environment", environment, 100);
        String who = Inputs.requirePrincipal(principal);
        String ver = version == null || version.isBlank() ? null : version.strip();
        if (ver != null) {
            Inputs.rejectControlCharacters("version", ver, false);
            Inputs.requireLength("version", ver, 200);
        }
        if (router.backends().size() != 2) {
            throw new IllegalArgumentException("router: blue-green needs a router with exactly two backends; '" + router.name()
                    + "' has " + router.backends());
        }
        TrafficSplit split = router.read();
        String live = router.backends().stream().filter(b -> split.of(b) == 100).findFirst()
                .orElseThrow(() -> new IllegalStateException("router '" + router.name() + "' splits traffic " + split.percent()
                        + "; a blue-green rollout starts from all traffic on one colour: finish or roll back what split it first"));
        String target = router.backends().stream().filter(b -> !b.equals(live)).findFirst().orElseThrow();
        long now = clock.millis();
        return store.inTransaction(c -> {
            Optional<Long> holder = lockHolder(c, env);
            if (holder.isPresent()) {
                BlueGreenRollout other = load(c, holder.get());
                throw new IllegalStateException("environment '" + env + "' has rollout #" + other.id() + " in phase " + other.phase()
                        + " (started by " + other.startedBy() + "); resume or roll it back first");
            }
            long id;
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_bluegreen (environment, router, live_colour, "
                    + "target_colour, version, phase, active, detail, started_by, controller_id, started_at, updated_at, warm_until, "
                    + "keep_warm_ms, rolling_back, row_version) VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?, ?, NULL, 0, FALSE, 1)",
                    Statement.RETURN_GENERATED_KEYS)) {
                String detail = "router " + router.name() + " reads " + split.percent() + ": " + live + " is live, deploying to " + target;
                ins.setString(1, env);
                ins.setString(2, router.name());
                ins.setString(3, live);
                ins.setString(4, target);
                ins.setString(5, ver);
                ins.setString(6, BlueGreenPhase.DEPLOYING.name());
                ins.setString(7, detail);
                ins.setString(8, who);
                ins.setString(9, store.controllerId());
                ins.setLong(10, now);
                ins.setLong(11, now);
                ins.executeUpdate();
                try (ResultSet keys = ins.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                try (PreparedStatement lock = c.prepareStatement("INSERT INTO release_line_bluegreen_lock (environment, rollout_id) VALUES (?, ?)")) {
                    lock.setString(1, env);
                    lock.setLong(2, id);
                    lock.executeUpdate();
                }
                step(c, id, BlueGreenPhase.DEPLOYING, now, who, detail);
                auditTransition(c, who, env, id, null, BlueGreenPhase.DEPLOYING, detail, live, target, ver);
            }
            ChangeSignals.raise(c, SIGNAL_TOPIC);
            BlueGreenRollout started = load(c, id);
            hook.started(c, started);
            return started;
        });
    }

    /** The deployment to the idle colour failed: nothing switched; the router is read to confirm the live colour serves. */
    public BlueGreenRollout deployFailed(long id, TrafficRouter router, String principal, String reason) {
        String who = Inputs.requirePrincipal(principal);
        String why = Inputs.reason(reason, false);
        BlueGreenRollout r = require(id, router, EnumSet.of(BlueGreenPhase.DEPLOYING, BlueGreenPhase.VERIFYING_IDLE, BlueGreenPhase.IDLE_HEALTHY));
        return endBeforeSwitch(r, router, who, "deployment to " + r.targetColour() + " failed" + (why == null ? "" : ": " + why));
    }

    /**
     * Checks the idle colour: the HTTP {@code check} must pass, and then the router must not see it down (its own
     * health checks may lag a little: they get the check's deadline to agree). Passing enters
     * {@link BlueGreenPhase#IDLE_HEALTHY}; failing ends the rollout in {@link BlueGreenPhase#FAILED} with the report,
     * the live colour serving as before. Blocks for up to the check's deadline twice: for a caller that may wait;
     * {@link BlueGreenDriver} does the same one request or one router read at a time.
     */
    public BlueGreenRollout verifyIdle(long id, TrafficRouter router, HealthCheck check, String principal) {
        String who = Inputs.requirePrincipal(principal);
        BlueGreenRollout r = require(id, router, EnumSet.of(BlueGreenPhase.DEPLOYING, BlueGreenPhase.VERIFYING_IDLE));
        r = transition(r.id(), r.phase(), BlueGreenPhase.VERIFYING_IDLE, who, "checking " + check.url(), null);
        HealthCheck.Report report = check.run();
        if (!report.passed()) {
            return endBeforeSwitch(r, router, who, "the idle colour " + r.targetColour() + " is not healthy: " + report.summary());
        }
        String routerView = awaitRouterSeesHealthy(router, r.targetColour(), check.deadline());
        if (routerView != null) {
            return endBeforeSwitch(r, router, who, "the idle colour " + r.targetColour() + " answers " + check.url()
                    + ", but router " + router.name() + " sees it " + routerView);
        }
        return transition(r.id(), BlueGreenPhase.VERIFYING_IDLE, BlueGreenPhase.IDLE_HEALTHY, who, report.summary(), null);
    }

    private static String awaitRouterSeesHealthy(TrafficRouter router, String colour, Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            BackendHealth h;
            try {
                h = router.health().get(colour);
            } catch (RouterException e) {
                return "not at all: " + e.getMessage();
            }
            if (h == null || h.state() == BackendHealth.State.UP || h.state() == BackendHealth.State.UNKNOWN
                    || h.state() == BackendHealth.State.DRAINING) {
                return null;
            }
            if (System.nanoTime() > end || h.state() == BackendHealth.State.MAINTENANCE) {
                return h.state() + " (" + h.detail() + ")";
            }
            sleep(Duration.ofMillis(200));
        }
    }

    // ---------------------------------------------------------------------------------------------- switching

    /**
     * Moves traffic to the target colour as {@code options} says, reads the router back, runs the front check,
     * and enters {@link BlueGreenPhase#WARM} (or {@link BlueGreenPhase#COMPLETED} when nothing is to be kept warm).
     * Any failure on the way switches back to the old colour at once ({@link BlueGreenPhase#ROLLED_BACK}); when
     * even that cannot be confirmed, the rollout is {@link BlueGreenPhase#UNRESOLVED} and says what is known. Blocks
     * through the step pauses; {@link BlueGreenDriver} takes one step per advance and journals each.
     */
    public BlueGreenRollout switchTraffic(long id, TrafficRouter router, SwitchOptions options, String principal) {
        String who = Inputs.requirePrincipal(principal);
        BlueGreenRollout r = require(id, router, EnumSet.of(BlueGreenPhase.IDLE_HEALTHY));
        setKeepWarm(id, options.keepWarm());
        r = transition(id, BlueGreenPhase.IDLE_HEALTHY, BlueGreenPhase.SWITCHING, who,
                "moving traffic to " + r.targetColour() + " in steps " + options.steps(), null);
        for (int i = 0; i < options.steps().size(); i++) {
            int p = options.steps().get(i);
            TrafficSplit want = TrafficSplit.of(r.liveColour(), r.targetColour(), p);
            try {
                TrafficSplit got = router.apply(want);
                if (p < 100) {
                    recordStep(id, BlueGreenPhase.SWITCHING, who, "router reads " + got.percent());
                    sleep(options.stepPause());
                }
            } catch (RouterException e) {
                return switchBack(r, router, who, "the switch to " + r.targetColour() + " failed at " + p + "%: " + e.getMessage());
            }
        }
        r = transition(id, BlueGreenPhase.SWITCHING, BlueGreenPhase.VERIFYING_SWITCH, who, "router took the switch; verifying", null);
        String problem = verifySwitched(r, router, options.frontCheck());
        if (problem != null) {
            return switchBack(r, router, who, problem);
        }
        return warmOrComplete(r, BlueGreenPhase.VERIFYING_SWITCH, who, "verified: router " + router.name() + " reads "
                + r.targetColour() + " 100%" + (options.frontCheck() == null ? "" : " and the front answers from " + r.targetColour()),
                options.keepWarm());
    }

    /** Null when the router reads all traffic on the target colour and the front check passes; otherwise what is wrong. */
    private static String verifySwitched(BlueGreenRollout r, TrafficRouter router, HealthCheck frontCheck) {
        TrafficSplit now;
        try {
            now = router.read();
        } catch (RouterException e) {
            return "router " + router.name() + " could not be read back after the switch: " + e.getMessage();
        }
        if (now.of(r.targetColour()) != 100) {
            return "router " + router.name() + " reads " + now.percent() + " after the switch, not all on " + r.targetColour();
        }
        if (frontCheck != null) {
            HealthCheck.Report report = frontCheck.run();
            if (!report.passed()) {
                return "requests through the front do not reach " + r.targetColour() + ": " + report.summary();
            }
        }
        return null;
    }

    private BlueGreenRollout warmOrComplete(BlueGreenRollout r, BlueGreenPhase from, String who, String detail, Duration keepWarm) {
        if (keepWarm.isZero()) {
            return transition(r.id(), from, BlueGreenPhase.COMPLETED, who, detail + "; " + r.liveColour() + " retired at once", null);
        }
        Instant until = clock.instant().plus(keepWarm);
        return transition(r.id(), from, BlueGreenPhase.WARM, who, detail + "; " + r.liveColour() + " kept warm until " + until, until);
    }

    /** Puts all traffic back on the live colour and reads it back; UNRESOLVED when that cannot be confirmed. */
    private BlueGreenRollout switchBack(BlueGreenRollout r, TrafficRouter router, String who, String why) {
        markRollingBack(r.id());
        try {
            TrafficSplit want = TrafficSplit.all(r.liveColour(), router.backends());
            TrafficSplit back;
            try {
                back = router.read();
            } catch (RouterException unreadable) {
                back = null;
            }
            if (!want.equals(back)) {
                back = router.apply(want);
            }
            return transition(r.id(), null, BlueGreenPhase.ROLLED_BACK, who, why + "; traffic back on " + r.liveColour()
                    + " (router reads " + back.percent() + ")", null);
        } catch (RouterException e) {
            return transition(r.id(), null, BlueGreenPhase.UNRESOLVED, who, why + "; switching back to " + r.liveColour()
                    + " failed too: " + e.getMessage() + "; where traffic is now is unknown: resume or roll back once router "
                    + router.name() + " answers", null);
        }
    }

    /** Ends a rollout that never moved traffic: FAILED when the router confirms the live colour serves. */
    private BlueGreenRollout endBeforeSwitch(BlueGreenRollout r, TrafficRouter router, String who, String why) {
        try {
            TrafficSplit now = router.read();
            if (now.of(r.liveColour()) == 100) {
                return transition(r.id(), null, BlueGreenPhase.FAILED, who, why + "; traffic never moved: " + r.liveColour()
                        + " serves (router reads " + now.percent() + ")", null);
            }
            return switchBack(r, router, who, why + "; router " + router.name() + " unexpectedly reads " + now.percent());
        } catch (RouterException e) {
            return transition(r.id(), null, BlueGreenPhase.FAILED, who, why + "; traffic was not moved by this rollout, "
                    + "but router " + router.name() + " could not be read to confirm that " + r.liveColour() + " serves: " + e.getMessage(), null);
        }
    }

    // ---------------------------------------------------------------------------------------------- rollback, resume, retire

    /**
     * Switches {@code environment} back to the colour that served before its rollout, at once, while that colour
     * is still warm. Before the switch it simply ends the rollout (traffic never moved). After the old colour was
     * retired it refuses: deploy the previous version again instead. When the router cannot be reached, the
     * rollout is {@link BlueGreenPhase#UNRESOLVED}, saying so; call it again once the router answers.
     */
    public BlueGreenRollout rollback(String environment, TrafficRouter router, String principal, String reason) {
        String env = Inputs.requireName("environment", environment, 100);
        String who = Inputs.requirePrincipal(principal);
        String why = Inputs.reason(reason, false);
        Optional<BlueGreenRollout> active = current(env);
        if (active.isEmpty()) {
            Optional<BlueGreenRollout> last = history(env, 1).stream().findFirst();
            throw new IllegalStateException(last.isEmpty() ? "environment '" + env + "' has no blue-green rollout to roll back"
                    : "environment '" + env + "': rollout #" + last.get().id() + " is " + last.get().phase()
                    + (last.get().phase() == BlueGreenPhase.COMPLETED ? "; its old colour " + last.get().liveColour()
                    + " was retired, so deploy the previous version again instead" : "; nothing to roll back"));
        }
        BlueGreenRollout r = active.get();
        requireRouter(r, router);
        String what = "rollback by " + who + (why == null ? "" : " (" + why + ")");
        if (!r.phase().rollbackPossible()) {
            return endBeforeSwitch(r, router, who, what + " before the switch");
        }
        return switchBack(r, router, who, what);
    }

    /**
     * After a restart or crash: finds the environment's unfinished rollout, reads the router, and continues or rolls
     * back. Before the switch: ends it (FAILED) once the router confirms the live colour. During the switch: a router
     * reading all traffic on the target colour is verified and continues to WARM; anything else is switched back.
     * WARM: confirmed, retired when due, or (when the router lost the switch, e.g. restarted from its config)
     * recorded as ROLLED_BACK with what the router shows. Throws {@link RouterException} without changing anything
     * while the router cannot be read.
     */
    public Optional<BlueGreenRollout> resume(String environment, TrafficRouter router, String principal) {
        String env = Inputs.requireName("environment", environment, 100);
        String who = Inputs.requirePrincipal(principal);
        Optional<BlueGreenRollout> active = current(env);
        if (active.isEmpty()) {
            return Optional.empty();
        }
        BlueGreenRollout r = active.get();
        requireRouter(r, router);
        TrafficSplit now = router.read();
        String seen = "resumed: router " + router.name() + " reads " + now.percent();
        boolean onTarget = now.of(r.targetColour()) == 100;
        boolean onLive = now.of(r.liveColour()) == 100;
        BlueGreenRollout out;
        switch (r.phase()) {
            case DEPLOYING, VERIFYING_IDLE, IDLE_HEALTHY -> out = onLive
                    ? transition(r.id(), null, BlueGreenPhase.FAILED, who, seen + "; interrupted before the switch, " + r.liveColour() + " serves", null)
                    : switchBack(r, router, who, seen + " although traffic was not to move yet");
            case SWITCHING, VERIFYING_SWITCH, UNRESOLVED -> {
                if (onTarget && !rollingBack(r.id())) {
                    BlueGreenRollout v = transition(r.id(), null, BlueGreenPhase.VERIFYING_SWITCH, who, seen + "; the switch took effect, verifying", null);
                    String problem = verifySwitched(v, router, null);
                    out = problem != null ? switchBack(v, router, who, problem)
                            : warmOrComplete(v, BlueGreenPhase.VERIFYING_SWITCH, who, "verified on resume", keepWarm(r.id()));
                } else if (onLive) {
                    out = transition(r.id(), null, BlueGreenPhase.ROLLED_BACK, who, seen + "; " + r.liveColour() + " serves"
                            + (rollingBack(r.id()) ? ", as the rollback asked" : ", the switch did not take effect"), null);
                } else {
                    out = switchBack(r, router, who, seen + "; the switch was interrupted part-way");
                }
            }
            case WARM -> {
                if (onTarget) {
                    out = r.warmUntil() != null && !clock.instant().isBefore(r.warmUntil())
                            ? transition(r.id(), BlueGreenPhase.WARM, BlueGreenPhase.COMPLETED, who, seen + "; warm time over, "
                            + r.liveColour() + " retired", null)
                            : recordStep(r.id(), BlueGreenPhase.WARM, who, seen + "; " + r.targetColour() + " serves as verified");
                } else if (onLive) {
                    out = transition(r.id(), BlueGreenPhase.WARM, BlueGreenPhase.ROLLED_BACK, who, seen + "; the router lost the switch "
                            + "(restarted from its config?): " + r.liveColour() + ", the old version, serves; deploy again to retry", null);
                } else {
                    out = switchBack(r, router, who, seen + ", which is not what was verified");
                }
            }
            default -> out = r;
        }
        return Optional.of(out);
    }

    /** Retires the old colour of every WARM rollout whose warm time is over (COMPLETED). Returns those retired. */
    public List<BlueGreenRollout> retireDue(String principal) {
        String who = Inputs.requirePrincipal(principal);
        long now = clock.millis();
        List<Long> due = store.read(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM release_line_bluegreen WHERE active = TRUE AND phase = ? AND warm_until <= ?")) {
                q.setString(1, BlueGreenPhase.WARM.name());
                q.setLong(2, now);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return ids;
        });
        List<BlueGreenRollout> out = new ArrayList<>();
        for (long id : due) {
            BlueGreenRollout r = get(id).orElseThrow();
            if (r.phase() == BlueGreenPhase.WARM) {
                out.add(transition(id, BlueGreenPhase.WARM, BlueGreenPhase.COMPLETED, who, "warm time over: " + r.liveColour() + " retired", null));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- reads

    public Optional<BlueGreenRollout> get(long id) {
        return store.read(c -> exists(c, id) ? Optional.of(load(c, id)) : Optional.empty());
    }

    /** The environment's unfinished rollout, if any. */
    public Optional<BlueGreenRollout> current(String environment) {
        return store.read(c -> {
            Optional<Long> id = lockHolder(c, environment);
            return id.isPresent() ? Optional.of(load(c, id.get())) : Optional.empty();
        });
    }

    /** The environment's rollouts, newest first. */
    public List<BlueGreenRollout> history(String environment, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit: " + limit + " is outside 1..1000");
        }
        return store.read(c -> {
            List<BlueGreenRollout> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM release_line_bluegreen WHERE environment = ? ORDER BY id DESC FETCH FIRST "
                    + limit + " ROWS ONLY")) {
                q.setString(1, environment);
                try (ResultSet rs = q.executeQuery()) {
                    List<Long> ids = new ArrayList<>();
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                    for (long id : ids) {
                        out.add(load(c, id));
                    }
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------------------------------------- one step at a time

    /*
     * The driver's single steps. Each does one bounded thing (a store transaction, or one router read or change with the
     * router's own timeouts) so that BlueGreenDriver can run a rollout one advance at a time.
     */

    /** Enters {@code to} from {@code from}; nothing when the rollout is in {@code to} already (an advance repeated after a crash). */
    BlueGreenRollout moveTo(BlueGreenRollout r, BlueGreenPhase from, BlueGreenPhase to, String who, String detail) {
        if (r.phase() == to) {
            return r;
        }
        BlueGreenRollout now = get(r.id()).orElseThrow();
        return now.phase() == to ? now : transition(r.id(), from, to, who, detail, null);
    }

    BlueGreenRollout note(long id, BlueGreenPhase phase, String who, String detail) {
        return recordStep(id, phase, who, detail);
    }

    void keepWarmFor(long id, Duration keepWarm) {
        setKeepWarm(id, keepWarm);
    }

    Duration keepWarmOf(long id) {
        return keepWarm(id);
    }

    /** Ends a rollout whose traffic never moved: FAILED once the router confirms the live colour (one read). */
    BlueGreenRollout endUnswitched(BlueGreenRollout r, TrafficRouter router, String who, String why) {
        return endBeforeSwitch(r, router, who, why);
    }

    /** Switches back to the live colour: one read, at most one change; ROLLED_BACK or UNRESOLVED. */
    BlueGreenRollout switchBackNow(BlueGreenRollout r, TrafficRouter router, String who, String why) {
        return switchBack(r, router, who, why);
    }

    /** The switch is verified: WARM until the keep-warm time is over, or COMPLETED when nothing is kept warm. */
    BlueGreenRollout verified(BlueGreenRollout r, String who, String detail) {
        return warmOrComplete(r, BlueGreenPhase.VERIFYING_SWITCH, who, detail, keepWarm(r.id()));
    }

    // ---------------------------------------------------------------------------------------------- persistence

    private BlueGreenRollout require(long id, TrafficRouter router, Set<BlueGreenPhase> phases) {
        BlueGreenRollout r = get(id).orElseThrow(() -> new IllegalArgumentException("rollout: #" + id + " does not exist"));
        requireRouter(r, router);
        if (!phases.contains(r.phase())) {
            throw new IllegalStateException("rollout #" + id + " is " + r.phase() + ", not " + phases + ": " + r.detail());
        }
        return r;
    }

    private static void requireRouter(BlueGreenRollout r, TrafficRouter router) {
        if (!r.router().equals(router.name())) {
            throw new IllegalArgumentException("router: rollout #" + r.id() + " goes through router '" + r.router() + "', not '" + router.name() + "'");
        }
    }

    /** Moves the rollout from {@code from} (null: any active phase) to {@code to}, with a step and an audit record. */
    private BlueGreenRollout transition(long id, BlueGreenPhase from, BlueGreenPhase to, String who, String detail, Instant warmUntil) {
        String text = clip(detail);
        long now = clock.millis();
        BlueGreenRollout out = store.inTransaction(c -> {
            BlueGreenRollout r = lockRow(c, id);
            if ((from != null && r.phase() != from) || !r.phase().active()) {
                throw new IllegalStateException("rollout #" + id + " moved on to " + r.phase() + " meanwhile (expected "
                        + (from == null ? "an active phase" : from) + "); nothing was recorded");
            }
            try (PreparedStatement up = c.prepareStatement("UPDATE release_line_bluegreen SET phase = ?, active = ?, detail = ?, "
                    + "updated_at = ?, warm_until = ?, row_version = row_version + 1 WHERE id = ?")) {
                up.setString(1, to.name());
                up.setBoolean(2, to.active());
                up.setString(3, text);
                up.setLong(4, now);
                if (warmUntil == null) {
                    up.setNull(5, Types.BIGINT);
                } else {
                    up.setLong(5, warmUntil.toEpochMilli());
                }
                up.setLong(6, id);
                up.executeUpdate();
            }
            if (!to.active()) {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM release_line_bluegreen_lock WHERE environment = ? AND rollout_id = ?")) {
                    del.setString(1, r.environment());
                    del.setLong(2, id);
                    del.executeUpdate();
                }
            }
            step(c, id, to, now, who, text);
            auditTransition(c, who, r.environment(), id, r.phase(), to, text, r.liveColour(), r.targetColour(), r.version());
            ChangeSignals.raise(c, SIGNAL_TOPIC);
            return load(c, id);
        });
        LOGGER.fine(() -> "Blue-green rollout #" + id + " of " + out.environment() + ": " + to + ": " + text);
        return out;
    }

    private BlueGreenRollout recordStep(long id, BlueGreenPhase phase, String who, String detail) {
        long now = clock.millis();
        return store.inTransaction(c -> {
            lockRow(c, id);
            step(c, id, phase, now, who, clip(detail));
            return load(c, id);
        });
    }

    private void setKeepWarm(long id, Duration keepWarm) {
        store.inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE release_line_bluegreen SET keep_warm_ms = ? WHERE id = ?")) {
                up.setLong(1, keepWarm.toMillis());
                up.setLong(2, id);
                return up.executeUpdate();
            }
        });
    }

    private void markRollingBack(long id) {
        store.inTransaction(c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE release_line_bluegreen SET rolling_back = TRUE WHERE id = ?")) {
                up.setLong(1, id);
                return up.executeUpdate();
            }
        });
    }

    private boolean rollingBack(long id) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT rolling_back FROM release_line_bluegreen WHERE id = ?")) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    private Duration keepWarm(long id) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT keep_warm_ms FROM release_line_bluegreen WHERE id = ?")) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Duration.ofMillis(rs.getLong(1)) : Duration.ZERO;
                }
            }
        });
    }

    private static Optional<Long> lockHolder(Connection c, String env) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT rollout_id FROM release_line_bluegreen_lock WHERE environment = ?")) {
            q.setString(1, env);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static boolean exists(Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM release_line_bluegreen WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static BlueGreenRollout lockRow(Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM release_line_bluegreen WHERE id = ? FOR UPDATE")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("rollout: #" + id + " does not exist");
                }
            }
        }
        return load(c, id);
    }

    private static BlueGreenRollout load(Connection c, long id) throws SQLException {
        List<BlueGreenRollout.Step> steps = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT seq, phase, at_millis, principal, detail FROM release_line_bluegreen_step "
                + "WHERE rollout_id = ? ORDER BY seq")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    steps.add(new BlueGreenRollout.Step(rs.getInt(1), BlueGreenPhase.valueOf(rs.getString(2)),
                            Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4), rs.getString(5)));
                }
            }
        }
        try (PreparedStatement q = c.prepareStatement("SELECT environment, router, live_colour, target_colour, version, phase, detail, "
                + "started_by, started_at, updated_at, warm_until FROM release_line_bluegreen WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("rollout: #" + id + " does not exist");
                }
                long warm = rs.getLong(11);
                Instant warmUntil = rs.wasNull() ? null : Instant.ofEpochMilli(warm);
                return new BlueGreenRollout(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        BlueGreenPhase.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)),
                        Instant.ofEpochMilli(rs.getLong(10)), warmUntil, List.copyOf(steps));
            }
        }
    }

    private static void step(Connection c, long id, BlueGreenPhase phase, long at, String who, String detail) throws SQLException {
        int seq;
        try (PreparedStatement q = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM release_line_bluegreen_step WHERE rollout_id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                seq = rs.getInt(1) + 1;
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_bluegreen_step (rollout_id, seq, phase, at_millis, principal, detail) "
                + "VALUES (?, ?, ?, ?, ?, ?)")) {
            ins.setLong(1, id);
            ins.setInt(2, seq);
            ins.setString(3, phase.name());
            ins.setLong(4, at);
            ins.setString(5, who);
            ins.setString(6, detail);
            ins.executeUpdate();
        }
    }

    private void auditTransition(Connection c, String who, String env, long id, BlueGreenPhase from, BlueGreenPhase to, String detail,
                                 String live, String target, String version) throws SQLException {
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("rollout", id);
        before.put("phase", from == null ? null : from.name());
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("rollout", id);
        after.put("phase", to.name());
        after.put("live", live);
        after.put("target", target);
        after.put("version", version);
        after.put("detail", detail);
        audit.append(c, who, new AuditEvent("rollout.bluegreen." + to.name().toLowerCase().replace('_', '-'),
                AuditScope.of(AuditScope.Kind.ROLLOUT, env), null, from == null ? null : json(before), json(after)));
    }

    private static String json(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clip(String s) {
        return s == null ? null : s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL - 3) + "..." : s;
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterException("interrupted", false, e);
        }
    }
}
