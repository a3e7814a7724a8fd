package io.jenkins.plugins.releaseline.engine.andon;

import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.ChangeSignals;
import io.jenkins.plugins.releaseline.engine.store.ChangeWatcher;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreAvailability;
import io.jenkins.plugins.releaseline.engine.store.StoreException;
import io.jenkins.plugins.releaseline.engine.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Andon board: freezes pulled by people, by a broken line job and by scheduled windows, and the one
 * question the rest of the suite asks it: {@link #check(WorkScope, WorkKind)}.
 *
 * <p>Every change is one store transaction that writes the freeze, its audit record and the {@code andon}
 * change signal together; the in-memory snapshot that {@code check} reads is then rebuilt at once here, and
 * within one {@link ChangeWatcher} poll on the other controllers sharing the database. The snapshot also
 * knows when it goes stale by itself (an expiry, a window opening or closing) and is rebuilt then, and
 * listeners hear of it, so that work held back by a window goes on by itself when the window closes.
 *
 * <p>The questions of the hot path ({@link #check}, {@link #activeBlockers()}, {@link #isLineStopped()}) never
 * wait for the database: they answer from the last snapshot. When the store cannot be read (a reload fails,
 * or the store's {@link StoreAvailability} reports it down) the snapshot is kept and marked stale since
 * then; the board's own timer thread reads the store again under the breaker's backoff and catches up as
 * soon as the store answers.
 */
public final class FreezeBoard implements AutoCloseable {

    public static final String TOPIC = "andon";
    /** The principal automatic actions are recorded under. */
    public static final String LINE_PRINCIPAL = "andon-line";
    public static final int MAX_LINK = 2_000;
    public static final int MAX_BUILD = 500;

    private static final Logger LOGGER = Logger.getLogger(FreezeBoard.class.getName());
    private static final Duration WINDOW_OVERRIDE_MEMORY = Duration.ofDays(62);
    /** The timer wakes at least this often, so a moved wall clock (or a test clock) is noticed. */
    private volatile long maxTimerDelayMillis = 60_000;

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;
    private final AndonPermissions permissions;
    private final Object refreshLock = new Object();
    private final Object reloadLock = new Object();
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> countedBlocked = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private volatile AndonConfig config = AndonConfig.EMPTY;
    private volatile BoardSnapshot.BoardState state = BoardSnapshot.BoardState.EMPTY;
    private volatile BoardSnapshot snapshot;
    private ScheduledFuture<?> pending;
    private final Object retryLock = new Object();
    private ScheduledFuture<?> retry;
    private final StoreAvailability.Listener availabilityListener = new StoreAvailability.Listener() {
        @Override
        public void unavailable(Instant since, String error) {
            // on the thread that found out, maybe a caller's: hand the work to the board's own thread
            submit(() -> markStale(since, error));
        }

        @Override
        public void available() {
            submit(FreezeBoard.this::catchUp);
        }
    };

    public FreezeBoard(Store store, AuditTrail audit, Clock clock, AndonPermissions permissions) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.permissions = Objects.requireNonNull(permissions, "permissions");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "release-line-andon-timer-" + store.controllerId());
            t.setDaemon(true);
            return t;
        });
        // the first read must succeed: a board that never saw the store has nothing to answer from
        Instant now = clock.instant();
        try {
            synchronized (reloadLock) {
                loaded(read(now).readAt(now));
            }
        } catch (RuntimeException e) {
            timer.shutdownNow();
            throw e;
        }
        store.availability().addListener(availabilityListener);
    }

    /** Rebuilds the snapshot whenever another controller changes the board. */
    public FreezeBoard watch(ChangeWatcher watcher) {
        watcher.subscribe(TOPIC, topic -> reload());
        return this;
    }

    /** Called after every rebuild of the snapshot (a change here or elsewhere, an expiry, a window edge). */
    public void addListener(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // ---------------------------------------------------------------- decision (hot path)

    /**
     * May this work go ahead? Reads the in-memory snapshot only; allocation-free unless two or more freezes
     * hold the same work back.
     */
    public Decision check(WorkScope work, WorkKind kind) {
        BoardSnapshot s = snapshot;
        if (clock.millis() >= s.validUntilMillis) {
            s = rebuild(false);
        }
        return s.decide(work, kind);
    }

    /** Whether anything at all is frozen now (the banner's question). */
    public boolean isLineStopped() {
        return !current().isEmpty();
    }

    /** Freezes and open windows holding work back now, oldest first. */
    public List<Blocker> activeBlockers() {
        return current().active;
    }

    /** When the snapshot next changes by itself (an expiry, a window opening or closing), if ever. */
    public Optional<Instant> nextChangeAt() {
        long t = current().validUntilMillis;
        return t == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(t));
    }

    /**
     * Counts {@code workId} (a queue item, a step call) as held back by the freezes of {@code decision}, once
     * per freeze; for the incident timeline. Cheap when called again for the same work.
     */
    public void noteBlocked(Decision decision, String workId) {
        if (decision.allowed() || workId == null || workId.isBlank() || workId.length() > MAX_BUILD) {
            return;
        }
        Instant now = clock.instant();
        for (Blocker b : decision.blockers()) {
            if (b.freezeId() == 0 || !countedBlocked.add(b.freezeId() + "\n" + workId)) {
                continue;
            }
            try {
                store.inTransaction(c -> FreezeRows.insertBlocked(c, b.freezeId(), workId, now));
            } catch (StoreUnavailableException e) {
                // counted when it is held back again after the store is back
                countedBlocked.remove(b.freezeId() + "\n" + workId);
                LOGGER.log(Level.FINE, "Blocked work not counted for " + b.key(), e);
            } catch (StoreException e) {
                // Another controller counted the same work at the same moment; the count is right either way.
                LOGGER.log(Level.FINE, "Blocked work not counted for " + b.key(), e);
            }
        }
    }

    // ---------------------------------------------------------------- changes

    /** Pulls the cord. Validates everything first; a refusal changes nothing. */
    public Freeze pull(String principal, PullRequest request) {
        String who = Inputs.requirePrincipal(principal);
        Objects.requireNonNull(request, "request");
        require(who, AndonPermissions.Action.PULL);
        if (request.scope() == null) {
            throw new IllegalArgumentException("scope: must say what to freeze; use 'everything', 'job:<folder/job>' or 'environment:<name>'");
        }
        String reason = Inputs.reason(request.reason(), true);
        String link = link(request.link());
        Instant now = clock.instant();
        if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
            throw new IllegalArgumentException("expiresAt: " + request.expiresAt() + " is not in the future (now is " + now
                    + "); give a later time, or none to hold the freeze until someone releases it");
        }
        Stops stops = request.stops() == null ? Stops.DEPLOYMENTS : request.stops();
        Freeze pulled = store.inTransaction(c -> {
            Freeze f = new Freeze(FreezeRows.nextId(c), request.scope(), stops, Origin.MANUAL, null, null, who, now, reason,
                    link, request.expiresAt(), null, null, null);
            FreezeRows.insert(c, f, store.controllerId());
            audit.append(c, who, new AuditEvent("andon.pull", scopeOf(f), reason, null, AndonJson.state(f)));
            ChangeSignals.raise(c, TOPIC);
            return f;
        });
        reload();
        return pulled;
    }

    /**
     * Releases one freeze; the others stay. If two people release the same freeze at once, one wins and the
     * other gets a {@link FreezeConflictException} naming who released it.
     */
    public Freeze release(String principal, long freezeId, String note) {
        String who = Inputs.requirePrincipal(principal);
        require(who, AndonPermissions.Action.RELEASE);
        String releaseNote = Inputs.reason(note, false);
        Freeze released = store.inTransaction(c -> releaseIn(c, who, freezeId, releaseNote, "andon.release"));
        reload();
        return released;
    }

    private Freeze releaseIn(Connection c, String who, long freezeId, String note, String action) throws SQLException {
        Instant now = clock.instant();
        Freeze before = FreezeRows.find(c, freezeId, true);
        refuseIfNotActive(before, freezeId, now, "release");
        if (!FreezeRows.release(c, freezeId, who, now, note)) {
            refuseIfNotActive(FreezeRows.find(c, freezeId, false), freezeId, now, "release");
        }
        Freeze after = FreezeRows.find(c, freezeId, false);
        audit.append(c, who, new AuditEvent(action, scopeOf(after), note, AndonJson.state(before), AndonJson.state(after)));
        ChangeSignals.raise(c, TOPIC);
        return after;
    }

    /** Moves an active freeze's expiry later. A freeze without expiry holds until released and is not extended. */
    public Freeze extend(String principal, long freezeId, Instant newExpiry, String reason) {
        String who = Inputs.requirePrincipal(principal);
        require(who, AndonPermissions.Action.PULL);
        String why = Inputs.reason(reason, false);
        Instant now = clock.instant();
        if (newExpiry == null || !newExpiry.isAfter(now)) {
            throw new IllegalArgumentException("expiresAt: " + newExpiry + " is not in the future (now is " + now + "); give a later time");
        }
        Freeze extended = store.inTransaction(c -> {
            Freeze before = FreezeRows.find(c, freezeId, true);
            refuseIfNotActive(before, freezeId, now, "extend");
            if (before.expiresAt() == null) {
                throw new FreezeConflictException("freeze-" + freezeId + " has no expiry and holds until someone releases it; nothing to extend");
            }
            if (!newExpiry.isAfter(before.expiresAt())) {
                throw new IllegalArgumentException("expiresAt: " + newExpiry + " is not after the current expiry " + before.expiresAt()
                        + "; to end the freeze sooner, release it");
            }
            FreezeRows.extend(c, freezeId, newExpiry);
            FreezeRows.insertEvent(c, FreezeRows.nextId(c), freezeId, null, FreezeRows.EXTEND, who, now, why, null, newExpiry);
            Freeze after = FreezeRows.find(c, freezeId, false);
            audit.append(c, who, new AuditEvent("andon.extend", scopeOf(after), why, AndonJson.state(before), AndonJson.state(after)));
            ChangeSignals.raise(c, TOPIC);
            return after;
        });
        reload();
        return extended;
    }

    /**
     * Break glass: lets {@code build} through one active freeze ({@code freeze-12} or {@code 12}) or one open
     * window ({@code window:weekend}). Only principals the permissions allow to override may; the override
     * is audited and shows on the freeze's timeline.
     */
    public BreakGlass override(String principal, String freezeRef, String reason, String build) {
        String who = Inputs.requirePrincipal(principal);
        require(who, AndonPermissions.Action.OVERRIDE);
        String why = Inputs.reason(reason, true);
        String forBuild = build(build);
        if (freezeRef == null || freezeRef.isBlank()) {
            throw new IllegalArgumentException("freeze: name the freeze to override, as freeze-12 or window:<name>");
        }
        String ref = freezeRef.strip();
        Instant now = clock.instant();
        BreakGlass done;
        if (ref.startsWith("window:")) {
            String name = ref.substring("window:".length());
            FreezeWindow w = config.windows().stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("freeze: there is no window named '" + Inputs.printable(name)
                            + "'; the windows are " + config.windows().stream().map(FreezeWindow::name).toList()));
            if (!w.isOpenAt(now)) {
                throw new FreezeConflictException("window:" + name + " is not open now; nothing to override");
            }
            done = store.inTransaction(c -> {
                BreakGlass o = new BreakGlass(FreezeRows.nextId(c), 0, name, who, now, why, forBuild);
                FreezeRows.insertEvent(c, o.id(), null, name, FreezeRows.OVERRIDE, who, now, why, forBuild, null);
                audit.append(c, who, new AuditEvent("andon.override", AuditScope.of(AuditScope.Kind.FREEZE, "window:" + name),
                        why, null, AndonJson.write(o)));
                ChangeSignals.raise(c, TOPIC);
                return o;
            });
        } else {
            long id = parseId(ref);
            done = store.inTransaction(c -> {
                Freeze f = FreezeRows.find(c, id, true);
                refuseIfNotActive(f, id, now, "override");
                BreakGlass o = new BreakGlass(FreezeRows.nextId(c), id, null, who, now, why, forBuild);
                FreezeRows.insertEvent(c, o.id(), id, null, FreezeRows.OVERRIDE, who, now, why, forBuild, null);
                audit.append(c, who, new AuditEvent("andon.override", scopeOf(f), why, null, AndonJson.write(o)));
                ChangeSignals.raise(c, TOPIC);
                return o;
            });
        }
        reload();
        return done;
    }

    /**
     * A build of a job failed. If the job is a configured line job and no freeze of it is active, pulls one
     * naming the failing build. Returns the freeze pulled, if any.
     */
    public Optional<Freeze> lineFailed(String jobPath, String build, String link) {
        LineJob line = config.line(jobPath);
        if (line == null) {
            return Optional.empty();
        }
        String failing = build(build);
        String url = link(link);
        Instant now = clock.instant();
        Freeze pulled = store.inTransaction(c -> {
            if (FreezeRows.openLineFreeze(c, line.jobPath()) != null) {
                return null;
            }
            String reason = "The line is broken: " + failing + " failed";
            Freeze f = new Freeze(FreezeRows.nextId(c), line.scope(), line.stops(), Origin.LINE, line.jobPath(), failing,
                    LINE_PRINCIPAL, now, reason, url, null, null, null, null);
            FreezeRows.insert(c, f, store.controllerId());
            audit.append(c, LINE_PRINCIPAL, new AuditEvent("andon.line.pull", scopeOf(f), reason, null, AndonJson.state(f)));
            ChangeSignals.raise(c, TOPIC);
            return f;
        });
        if (pulled != null) {
            reload();
        }
        return Optional.ofNullable(pulled);
    }

    /**
     * A build of a job succeeded. For a line job whose policy is {@link ReleasePolicy#AUTO_RELEASE}, releases
     * the freeze its failure pulled. Returns the freeze released, if any.
     */
    public Optional<Freeze> lineSucceeded(String jobPath, String build) {
        LineJob line = config.line(jobPath);
        if (line == null || line.policy() != ReleasePolicy.AUTO_RELEASE) {
            return Optional.empty();
        }
        String fixing = build(build);
        Freeze released = store.inTransaction(c -> {
            Freeze open = FreezeRows.openLineFreeze(c, line.jobPath());
            if (open == null || !open.isActiveAt(clock.instant())) {
                return null;
            }
            return releaseIn(c, LINE_PRINCIPAL, open.id(), "The line is fixed: " + fixing + " succeeded", "andon.line.release");
        });
        if (released != null) {
            reload();
        }
        return Optional.ofNullable(released);
    }

    /** Replaces the line jobs and windows; audited when they differ from the current ones. */
    public void configure(String principal, AndonConfig newConfig) {
        String who = Inputs.requirePrincipal(principal);
        Objects.requireNonNull(newConfig, "config");
        AndonConfig before = config;
        if (!before.equals(newConfig)) {
            audit.append(who, new AuditEvent("andon.configure", AuditScope.of(AuditScope.Kind.ANDON, "config"), null,
                    describe(before), describe(newConfig)));
        }
        config = newConfig;
        rebuild(true);
    }

    public AndonConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- reads

    public Optional<Freeze> freeze(long id) {
        return Optional.ofNullable(store.read(c -> FreezeRows.find(c, id, false)));
    }

    /** Stored freezes that are active now, oldest first. */
    public List<Freeze> active() {
        Instant now = clock.instant();
        return state.open().stream().filter(f -> f.isActiveAt(now)).toList();
    }

    /** The latest freezes, newest first, active or not. */
    public List<Freeze> history(int limit) {
        if (limit < 1 || limit > 1_000) {
            throw new IllegalArgumentException("limit: " + limit + " is outside 1..1000");
        }
        return store.read(c -> FreezeRows.recent(c, limit));
    }

    /** The postmortem view of one freeze. */
    public Timeline timeline(long freezeId) {
        Instant now = clock.instant();
        return store.read(c -> {
            Freeze f = FreezeRows.find(c, freezeId, false);
            if (f == null) {
                throw new IllegalArgumentException("freeze: there is no freeze-" + freezeId);
            }
            List<Timeline.Entry> entries = new ArrayList<>();
            entries.add(new Timeline.Entry(f.pulledAt(), Timeline.Kind.PULLED, f.pulledBy(), f.reason(), f.lineBuild(), 0, Duration.ZERO));
            long[] blocked = FreezeRows.blocked(c, freezeId);
            if (blocked[0] > 0) {
                Instant first = Instant.ofEpochMilli(blocked[1]);
                entries.add(new Timeline.Entry(first, Timeline.Kind.BLOCKED, null, blocked[0] + " held back, the last at "
                        + Instant.ofEpochMilli(blocked[2]), null, blocked[0], Duration.between(f.pulledAt(), first)));
            }
            entries.addAll(FreezeRows.events(c, f));
            Instant ended = f.endedAt(now);
            if (ended != null) {
                boolean released = f.statusAt(now) == Freeze.Status.RELEASED;
                entries.add(new Timeline.Entry(ended, released ? Timeline.Kind.RELEASED : Timeline.Kind.EXPIRED,
                        released ? f.releasedBy() : null, released ? f.releaseNote() : "expired", null, 0,
                        Duration.between(f.pulledAt(), ended)));
            }
            entries.sort(Comparator.comparing(Timeline.Entry::at));
            return new Timeline(f, List.copyOf(entries), blocked[0], Duration.between(f.pulledAt(), ended == null ? now : ended));
        });
    }

    /** The page's data: state, active freezes, windows, recent history and the scopes the pull form offers. */
    public AndonPage page(int historyLimit) {
        BoardSnapshot s = current();
        Instant now = clock.instant();
        List<AndonPage.ActiveView> active = new ArrayList<>();
        for (Blocker b : s.active) {
            active.add(new AndonPage.ActiveView(b.key(), b.freezeId(), b.scope().toString(), b.stops().text(), b.origin().name(),
                    b.pulledBy(), b.since(), b.until(), b.reason(), b.link(), b.origin() != Origin.WINDOW));
        }
        List<AndonPage.WindowView> windows = new ArrayList<>();
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add(FreezeScope.EVERYTHING.toString());
        for (FreezeWindow w : config.windows()) {
            Optional<Instant[]> next = w.nextOccurrence(now);
            windows.add(new AndonPage.WindowView(w.name(), w.scope().toString(), w.stops().text(), w.schedule(), w.isOpenAt(now),
                    next.map(x -> x[0]).orElse(null), next.map(x -> x[1]).orElse(null), w.reason()));
            scopes.add(w.scope().toString());
        }
        windows.sort(Comparator.comparing((AndonPage.WindowView v) -> v.opensAt() == null ? Instant.MAX : v.opensAt()));
        for (LineJob l : config.lines()) {
            scopes.add(l.scope().toString());
        }
        List<AndonPage.FreezeView> history = new ArrayList<>();
        for (Freeze f : history(historyLimit)) {
            history.add(new AndonPage.FreezeView(f.id(), f.scope().toString(), f.stops().text(), f.origin().name(), f.pulledBy(),
                    f.pulledAt(), f.reason(), f.link(), f.expiresAt(), f.statusAt(now).name().toLowerCase(Locale.ROOT),
                    f.releasedBy(), f.endedAt(now), f.releaseNote(), f.lineBuild()));
        }
        return new AndonPage(active.isEmpty() ? "running" : "stopped", now, active, windows, history, List.copyOf(scopes));
    }

    // ---------------------------------------------------------------- snapshot

    /**
     * Reads the board from the store and rebuilds the snapshot (also after changes made elsewhere). If the
     * store cannot be read, keeps the snapshot, marks it stale and tries again on the board's own thread
     * under the store's backoff; it does not throw.
     */
    public void reload() {
        // One reload at a time: a read that starts later sees at least as much as an earlier one, so a
        // slow reload (the watcher's) can never put back a state older than a local change just made.
        synchronized (reloadLock) {
            Instant now = clock.instant();
            BoardSnapshot.BoardState loaded;
            try {
                loaded = read(now).readAt(now);
            } catch (StoreException e) {
                LOGGER.log(Level.FINE, "The Andon board could not be read; answering from the snapshot of " + state.readAt(), e);
                markStale(store.availability().unavailableSince().orElse(now),
                        e instanceof StoreUnavailableException u ? u.error() : e.getMessage());
                return;
            }
            loaded(loaded);
        }
    }

    private BoardSnapshot.BoardState read(Instant now) {
        return store.read(c -> new BoardSnapshot.BoardState(FreezeRows.open(c),
                FreezeRows.openOverrides(c), FreezeRows.windowOverridesSince(c, now.minus(WINDOW_OVERRIDE_MEMORY))));
    }

    private void loaded(BoardSnapshot.BoardState loaded) {
        state = loaded;
        Set<String> open = new java.util.HashSet<>();
        for (Freeze f : loaded.open()) {
            open.add(Long.toString(f.id()));
        }
        countedBlocked.removeIf(k -> !open.contains(k.substring(0, k.indexOf('\n'))));
        rebuild(true);
    }

    /** Keeps the freezes last read, marked as possibly out of date since {@code since}, and tries again later. */
    private void markStale(Instant since, String error) {
        synchronized (reloadLock) {
            if (state.staleSince() == null) {
                LOGGER.log(Level.WARNING, "The Andon board cannot read the store since {0}; answering from the freezes read at {1}: {2}",
                        new Object[] {since, state.readAt(), error});
                state = state.stale(since, error);
                rebuild(true);
            }
        }
        scheduleRetry();
    }

    /** While stale: one reload on the board's thread when the store's breaker next lets a caller try. */
    private void scheduleRetry() {
        synchronized (retryLock) {
            if (retry != null && !retry.isDone() || timer.isShutdown()) {
                return;
            }
            StoreAvailability availability = store.availability();
            // an error that is not the store being down (a bad row, say) is tried again once a second
            long delay = availability.isAvailable() ? 1_000 : Math.max(20, availability.untilNextAttempt().toMillis());
            try {
                retry = timer.schedule(this::catchUp, delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed meanwhile
            }
        }
    }

    private void catchUp() {
        synchronized (retryLock) {
            retry = null;
        }
        if (state.staleSince() != null) {
            reload();
        }
    }

    private void submit(Runnable task) {
        try {
            timer.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nothing to keep up to date
        }
    }

    // ---------------------------------------------------------------- freshness (cheap; for banners and monitors)

    /** Whether the freezes shown may be out of date because the store could not be read since {@link #staleSince()}. */
    public boolean isStale() {
        return snapshot.isStale();
    }

    /** Since when the store could not be read; empty while the snapshot matches the store. */
    public Optional<Instant> staleSince() {
        return Optional.ofNullable(snapshot.staleSince);
    }

    /** Why the store could not be read; empty while the snapshot matches the store. */
    public Optional<String> staleReason() {
        return Optional.ofNullable(snapshot.staleBecause);
    }

    /** When the freezes the board answers from were read from the store ("freezes shown as of T"). */
    public Optional<Instant> asOf() {
        return Optional.ofNullable(snapshot.readAt);
    }

    /** Rebuilds if an expiry or a window edge has passed; the timer calls this, and tests with a moved clock. */
    public void refreshIfDue() {
        BoardSnapshot before = snapshot;
        if (current() == before) {
            // not due yet (the timer wakes at least once a minute): wait again
            synchronized (refreshLock) {
                if (snapshot == before) {
                    arm(before);
                }
            }
        }
    }

    private BoardSnapshot current() {
        BoardSnapshot s = snapshot;
        return clock.millis() >= s.validUntilMillis ? rebuild(false) : s;
    }

    private BoardSnapshot rebuild(boolean force) {
        BoardSnapshot built;
        synchronized (refreshLock) {
            BoardSnapshot s = snapshot;
            if (!force && s != null && clock.millis() < s.validUntilMillis) {
                return s;
            }
            built = BoardSnapshot.build(clock.instant(), state, config);
            snapshot = built;
            arm(built);
        }
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "An Andon listener failed", e);
            }
        }
        return built;
    }

    private void arm(BoardSnapshot s) {
        if (pending != null) {
            pending.cancel(false);
        }
        if (timer.isShutdown()) {
            return;
        }
        long delay = Math.max(0, Math.min(maxTimerDelayMillis, s.validUntilMillis - clock.millis()));
        pending = timer.schedule(this::refreshIfDue, delay, TimeUnit.MILLISECONDS);
    }

    /** For tests with a hand-moved clock: how often the timer wakes at most. */
    void wakeAtLeastEvery(Duration d) {
        maxTimerDelayMillis = d.toMillis();
        synchronized (refreshLock) {
            arm(snapshot);
        }
    }

    @Override
    public void close() {
        store.availability().removeListener(availabilityListener);
        timer.shutdownNow();
    }

    // ---------------------------------------------------------------- checks on input

    private void require(String who, AndonPermissions.Action action) {
        if (!permissions.permits(who, action)) {
            throw new NotPermittedException(who, action);
        }
    }

    private static void refuseIfNotActive(Freeze f, long id, Instant now, String verb) {
        if (f == null) {
            throw new FreezeConflictException("freeze-" + id + " does not exist; nothing to " + verb);
        }
        switch (f.statusAt(now)) {
            case RELEASED -> throw new FreezeConflictException("freeze-" + id + " was already released by " + f.releasedBy()
                    + " at " + f.releasedAt() + (f.releaseNote() == null ? "" : " (\"" + f.releaseNote() + "\")")
                    + "; nothing to " + verb + ", nothing changed");
            case EXPIRED -> throw new FreezeConflictException("freeze-" + id + " expired at " + f.expiresAt()
                    + "; nothing to " + verb + ", nothing changed (pull a new one if the line must stop again)");
            case ACTIVE -> { }
        }
    }

    private static long parseId(String ref) {
        String digits = ref.startsWith("freeze-") ? ref.substring("freeze-".length()) : ref;
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("freeze: '" + Inputs.printable(ref) + "' names no freeze; use freeze-12 or window:<name>");
        }
    }

    static String link(String link) {
        if (link == null || link.isBlank()) {
            return null;
        }
        String l = link.strip();
        Inputs.rejectControlCharacters("link", l, false);
        Inputs.requireLength("link", l, MAX_LINK);
        String lower = l.toLowerCase(Locale.ROOT);
        boolean relative = l.startsWith("/") && !l.startsWith("//");
        if (!(lower.startsWith("https://") || lower.startsWith("http://") || relative) || l.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("link: '" + Inputs.printable(l)
                    + "' is not an http(s) address or a path on this Jenkins (/job/...); give one of those, or none");
        }
        return l;
    }

    private static String build(String build) {
        if (build == null || build.isBlank()) {
            throw new IllegalArgumentException("build: must name the build, as team-a/payments/main#42");
        }
        String b = build.strip();
        Inputs.rejectControlCharacters("build", b, false);
        return Inputs.requireLength("build", b, MAX_BUILD);
    }

    private static AuditScope scopeOf(Freeze f) {
        return AuditScope.of(AuditScope.Kind.FREEZE, "freeze-" + f.id());
    }

    private static String describe(AndonConfig c) {
        List<String> lines = c.lines().stream().map(l -> l.jobPath() + " -> " + l.scope() + " (" + l.stops().text() + ", "
                + l.policy().name().toLowerCase(Locale.ROOT) + ")").toList();
        List<String> windows = c.windows().stream().map(FreezeWindow::toString).toList();
        return AndonJson.write(java.util.Map.of("lines", lines, "windows", windows));
    }
}
