package io.jenkins.plugins.releaseline.engine.telemetry;

import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.Digest;
import io.jenkins.plugins.releaseline.engine.promotion.LedgerKind;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * DORA figures from the stored records: the promotion ledger (deployments, failures, rollbacks), the changes
 * builds record here (commit times, hotfixes), failed verifications, and the freeze board (Andon pulls). The
 * ledger's outcomes and the changes reach the fold as facts ({@link TelemetryFacts}: a few numbers each, written
 * with the record they come from). Every fact is folded once into per-environment running aggregates; each call
 * first folds what arrived since the last one (read from a high-water mark), then answers from the aggregates.
 * Nothing is sampled.
 */
public final class DeliveryTelemetry {

    public static final Duration DEFAULT_FAILURE_WINDOW = Duration.ofHours(24);
    public static final int OUTLIER_WINDOW = 50;
    public static final int OUTLIER_MIN_SAMPLES = 10;
    static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Facts read per query: keyset pages keep every result small (H2 spools a large one to disk). */
    static final int PAGE = 20_000;
    /** Store the aggregates again once this many records (facts, verifications) were folded since. */
    public static final long DEFAULT_STORE_EVERY = 10_000;
    private static final Logger LOG = Logger.getLogger(DeliveryTelemetry.class.getName());
    private static final int MAX_COMMIT_ID = 100;
    /** Writes stored aggregates for every instance, one at a time, off the callers' threads. */
    private static final ExecutorService STORE_WRITER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "release-line-telemetry-store");
        t.setDaemon(true);
        return t;
    });

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;
    private final Duration failureWindow;
    private final long storeEvery;
    /** Whether the aggregates are written by {@link #STORE_WRITER} after the call that folded them returns. */
    private final boolean storeInBackground;
    /** The write queued or running, if any (one at a time per instance). */
    private volatile Future<?> pendingStore;
    /** Facts per keyset query; smaller in tests, so that short histories take the read-ahead path too. */
    private int pageSize = PAGE;
    private Catalog catalog = new Catalog();
    private Map<String, EnvironmentHistory> environments = new TreeMap<>();
    /** Whether the stored aggregates were looked for (once, before the first fold). */
    private boolean started;
    /** The marks' sum when the aggregates were last read from or written to the store. */
    private long storedTotal;
    private final LedgerCursor facts;
    private final LedgerCursor verifications;
    /** The highest name number read with the others (a name committed late is read when a fact first names it). */
    private int nameMark;

    public DeliveryTelemetry(Store store, AuditTrail audit, Clock clock) {
        this(store, audit, clock, DEFAULT_FAILURE_WINDOW);
    }

    /**
     * @param failureWindow how soon after a deployment a rollback, a failed verification or a hotfix makes it a
     *                      failed change
     */
    public DeliveryTelemetry(Store store, AuditTrail audit, Clock clock, Duration failureWindow) {
        this(store, audit, clock, failureWindow, SETTLE_NANOS, DEFAULT_STORE_EVERY, true);
    }

    /**
     * @param storeEvery store the aggregates once this many records were folded since they were last stored; 0 neither
     *                   reads nor writes them (every instance then folds the whole ledger)
     */
    DeliveryTelemetry(Store store, AuditTrail audit, Clock clock, Duration failureWindow, long settleNanos, long storeEvery) {
        this(store, audit, clock, failureWindow, settleNanos, storeEvery, false);
    }

    /**
     * @param storeInBackground write the aggregates after the call that folded them has returned (the figures need not
     *                          wait for an 18 MB write); false writes them within that call
     */
    DeliveryTelemetry(Store store, AuditTrail audit, Clock clock, Duration failureWindow, long settleNanos, long storeEvery,
                      boolean storeInBackground) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (failureWindow == null || failureWindow.isNegative() || failureWindow.isZero()) {
            throw new IllegalArgumentException("failureWindow: " + failureWindow + " must be a positive duration, such as PT24H");
        }
        this.failureWindow = failureWindow;
        if (storeEvery < 0) {
            throw new IllegalArgumentException("storeEvery: " + storeEvery + " must be 0 (never) or positive");
        }
        this.storeEvery = storeEvery;
        this.storeInBackground = storeInBackground;
        this.facts = new LedgerCursor(settleNanos);
        this.verifications = new LedgerCursor(settleNanos);
    }

    public Duration failureWindow() {
        return failureWindow;
    }

    // ------------------------------------------------------------------ what builds record

    /**
     * Records the change behind a digest: its commit and when it was made (where lead time starts), and whether it
     * is a hotfix. Call it from the build, before the digest is promoted. A digest has one change: recording the
     * same again is accepted and changes nothing; recording a different one is refused.
     */
    public void recordChange(String principal, String artifact, String digest, String commitId, Instant committedAt, boolean hotfix) {
        String who = Inputs.requirePrincipal(principal);
        String art = Inputs.requireName("artifact", artifact, 200);
        String dig = Digest.parse(digest).value();
        if (commitId != null) {
            commitId = commitId.strip();
            Inputs.rejectControlCharacters("commit", commitId, false);
            Inputs.requireLength("commit", commitId, MAX_COMMIT_ID);
        }
        if (committedAt == null) {
            throw new IllegalArgumentException("committedAt: the commit time is missing; pass the commit's timestamp (git log -1 --format=%cI)");
        }
        Instant now = clock.instant();
        if (committedAt.isAfter(now.plus(Duration.ofMinutes(5)))) {
            throw new IllegalArgumentException("committedAt: " + committedAt + " is in the future (now is " + now
                    + "); pass the commit's own timestamp");
        }
        String commit = commitId == null || commitId.isEmpty() ? null : commitId;
        store.inTransaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT commit_id, commit_micros, hotfix FROM release_line_telemetry_change "
                    + "WHERE artifact = ? AND digest = ?")) {
                q.setString(1, art);
                q.setString(2, dig);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        if (rs.getLong(2) == EnvironmentHistory.micros(committedAt) && rs.getBoolean(3) == hotfix
                                && Objects.equals(rs.getString(1), commit)) {
                            return null;
                        }
                        throw new IllegalArgumentException("digest: " + dig + " of " + art + " was already recorded as commit "
                                + rs.getString(1) + " at " + EnvironmentHistory.instant(rs.getLong(2)) + (rs.getBoolean(3) ? " (hotfix)" : "")
                                + "; a digest is built from one commit, so record a new build's digest instead");
                    }
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_telemetry_change (artifact, digest, commit_id, "
                    + "commit_micros, hotfix, recorded_by, recorded_micros) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ins.setString(1, art);
                ins.setString(2, dig);
                ins.setString(3, commit);
                ins.setLong(4, EnvironmentHistory.micros(committedAt));
                ins.setBoolean(5, hotfix);
                ins.setString(6, who);
                ins.setLong(7, EnvironmentHistory.micros(now));
                ins.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    throw new SQLException("change of " + art + " recorded concurrently", "40001", e);
                }
                throw e;
            }
            TelemetryFacts.change(c, art, dig, EnvironmentHistory.micros(committedAt), hotfix);
            audit.append(c, who, new AuditEvent("telemetry.change", AuditScope.of(AuditScope.Kind.ARTIFACT, art),
                    hotfix ? "hotfix" : null, null, "{\"digest\":\"" + dig + "\",\"commit\":" + (commit == null ? "null"
                    : "\"" + commit.replace("\\", "\\\\").replace("\"", "\\\"") + "\"") + ",\"committedAt\":\"" + committedAt + "\"}"));
            return null;
        });
    }

    /**
     * A commit time as builds give it: ISO-8601 with an offset ({@code git log -1 --format=%cI}, such as
     * {@code 2026-03-02T10:15:30+01:00}) or epoch seconds ({@code --format=%ct}).
     */
    public static Instant parseCommitTime(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("committedAt: the commit time is missing; pass git log -1 --format=%cI");
        }
        String t = text.strip();
        try {
            if (t.matches("[0-9]{1,12}")) {
                return Instant.ofEpochSecond(Long.parseLong(t));
            }
            return java.time.OffsetDateTime.parse(t).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("committedAt: '" + Inputs.printable(t) + "' is not a time; give ISO-8601 with an offset "
                    + "(git log -1 --format=%cI, such as 2026-03-02T10:15:30+01:00) or epoch seconds (--format=%ct)");
        }
    }

    /**
     * Records that the deployment of {@code promotionId} failed its verification in its environment (smoke tests,
     * monitoring). It counts as a failed change when within the failure window of the deployment, and as an
     * incident until the artifact's next good deployment there.
     */
    public void recordFailedVerification(String principal, long promotionId, String note) {
        String who = Inputs.requirePrincipal(principal);
        String why = Inputs.reason(note, false);
        store.inTransaction(c -> {
            String environment;
            String artifact;
            try (PreparedStatement q = c.prepareStatement("SELECT environment, artifact, status FROM release_line_promotion WHERE id = ?")) {
                q.setLong(1, promotionId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("promotion: there is no promotion " + promotionId);
                    }
                    String status = rs.getString(3);
                    if (!List.of("DEPLOYED", "VERIFIED", "ROLLED_BACK").contains(status)) {
                        throw new IllegalArgumentException("promotion: " + promotionId + " is " + status.toLowerCase(java.util.Locale.ROOT)
                                + "; only a deployment that went through can fail its verification");
                    }
                    environment = rs.getString(1);
                    artifact = rs.getString(2);
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM release_line_telemetry_verification WHERE promotion_id = ?")) {
                q.setLong(1, promotionId);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return null;
                    }
                }
            }
            Instant now = clock.instant();
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_telemetry_verification (promotion_id, environment, "
                    + "artifact, failed_micros, recorded_by, note) VALUES (?, ?, ?, ?, ?, ?)")) {
                ins.setLong(1, promotionId);
                ins.setString(2, environment);
                ins.setString(3, artifact);
                ins.setLong(4, EnvironmentHistory.micros(now));
                ins.setString(5, who);
                ins.setString(6, why);
                ins.executeUpdate();
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    throw new SQLException("verification of " + promotionId + " recorded concurrently", "40001", e);
                }
                throw e;
            }
            audit.append(c, who, new AuditEvent("telemetry.verification-failed", AuditScope.of(AuditScope.Kind.PROMOTION,
                    Long.toString(promotionId)), why, null, "{\"environment\":\"" + environment + "\",\"artifact\":\"" + artifact + "\"}"));
            return null;
        });
    }

    // ------------------------------------------------------------------ figures

    /** The figures of {@code environment} (and of {@code artifact}, unless null) over {@code [from, to)}. */
    public synchronized DoraFigures figures(String environment, String artifact, Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to: " + to + " is before from " + from + "; give a window that ends after it starts");
        }
        refresh();
        EnvironmentHistory h = history(environment);
        int art = artifact == null ? EnvironmentHistory.ALL : catalog.knownArtifact(artifact);
        return h.figures(artifact, art == EnvironmentHistory.ALL && artifact != null ? -2 : art, from, to);
    }

    /** The figures of {@code environment} over the {@code window} that ends now (what happened now included). */
    public DoraFigures figures(String environment, Duration window) {
        Instant end = clock.instant().plusNanos(1_000);
        return figures(environment, null, end.minus(window), end);
    }

    /**
     * One point per day for the {@code days} days that end today (in {@code zone}), each over the seven days
     * that end with it.
     */
    public synchronized List<DoraTrendPoint> trend(String environment, int days, ZoneId zone) {
        if (days < 1 || days > 366) {
            throw new IllegalArgumentException("days: " + days + " is outside 1..366");
        }
        Objects.requireNonNull(zone, "zone");
        refresh();
        EnvironmentHistory h = history(environment);
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        List<DoraTrendPoint> out = new ArrayList<>(days);
        for (int i = days - 1; i >= 0; i--) {
            LocalDate day = today.minusDays(i);
            Instant from = day.minusDays(6).atStartOfDay(zone).toInstant();
            Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
            DoraFigures f = h.figures(null, EnvironmentHistory.ALL, from, to);
            out.add(new DoraTrendPoint(day, f.deployments(), hours(f.leadTimeMedian()), f.changeFailureRate(),
                    hours(f.timeToRestoreMedian())));
        }
        return out;
    }

    /** Deployments of {@code environment} in {@code [from, to)} flagged as outliers, in ledger order. */
    public synchronized List<DeploymentOutlier> outliers(String environment, Instant from, Instant to) {
        refresh();
        return history(environment).outliers(from, to);
    }

    /** The environments the ledger has recorded deployments in, by name. */
    public synchronized List<String> environments() {
        refresh();
        return List.copyOf(environments.keySet());
    }

    /**
     * Ledger outcomes per environment and kind, everything folded so far (counters for the metrics endpoint): every
     * kind but the records on the way ({@code REQUESTED}, {@code APPROVED}, {@code STARTED}).
     */
    public synchronized Map<String, Map<LedgerKind, Long>> ledgerCounts() {
        refresh();
        Map<String, Map<LedgerKind, Long>> out = new TreeMap<>();
        environments.forEach((name, h) -> {
            Map<LedgerKind, Long> byKind = new java.util.EnumMap<>(LedgerKind.class);
            for (LedgerKind k : LedgerKind.values()) {
                if (TelemetryFacts.kindOf(k) != 0) {
                    byKind.put(k, h.count(k));
                }
            }
            out.put(name, byKind);
        });
        return out;
    }

    /** The fact the aggregates have folded up to. */
    public synchronized long highWaterMark() {
        return facts.mark();
    }

    private EnvironmentHistory history(String environment) {
        Inputs.requireName("environment", environment, 100);
        EnvironmentHistory h = environments.get(environment);
        return h != null ? h : new EnvironmentHistory(environment, catalog, failureWindow, OUTLIER_WINDOW, OUTLIER_MIN_SAMPLES);
    }

    private EnvironmentHistory fold(String environment) {
        return environments.computeIfAbsent(environment,
                e -> new EnvironmentHistory(e, catalog, failureWindow, OUTLIER_WINDOW, OUTLIER_MIN_SAMPLES));
    }

    private static Double hours(Duration d) {
        return d == null ? null : d.toMillis() / 3_600_000.0;
    }

    // ------------------------------------------------------------------ folding new records

    /**
     * Folds every record stored since the last call; returns how many facts (ledger outcomes, changes) that was. The
     * first call starts from the stored aggregates, when there are any, and folds only what came after their marks.
     */
    public synchronized long refresh() {
        long folded = store.read(c -> {
            if (!started && storeEvery > 0) {
                restore(c);
            }
            started = true;
            nameMark = catalog.readNames(c, nameMark);
            long n = readFacts(c);
            readVerifications(c);
            readFreezes(c);
            return n;
        });
        started = true;
        if (storeEvery > 0 && marks() - storedTotal >= storeEvery) {
            if (!storeInBackground) {
                storeAggregates();
            } else if (pendingStore == null || pendingStore.isDone()) {
                pendingStore = STORE_WRITER.submit(this::storeAggregates);
            }
        }
        return folded;
    }

    /**
     * Waits for a write of the aggregates queued by an earlier call, if there is one (before closing the store, or to
     * measure a fold alone); true when none is left.
     */
    public boolean awaitStoredAggregates(Duration timeout) {
        Future<?> pending = pendingStore;
        if (pending == null) {
            return true;
        }
        try {
            pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // storeAggregates logs its own failures; the figures are unaffected
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private long marks() {
        return facts.mark() + verifications.mark();
    }

    /**
     * Writes the aggregates with their marks to the store, unless another instance stored them as far already. They
     * are encoded under this instance's lock (a consistent state) and written without it, so that a call for figures
     * does not wait for the write.
     */
    void storeAggregates() {
        Snapshots.Stored state;
        synchronized (this) {
            try {
                state = new Snapshots.Stored(facts.mark(), verifications.mark(), encode());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long fw = EnvironmentHistory.micros(failureWindow);
        long now = EnvironmentHistory.micros(clock.instant());
        try {
            store.inTransaction(c -> Snapshots.store(c, fw, state, now, store.controllerId()));
            synchronized (this) {
                storedTotal = Math.max(storedTotal, state.total());
            }
        } catch (RuntimeException e) {
            // the figures stay right; only the next start will fold more of the ledger
            LOG.log(Level.WARNING, "could not store the telemetry aggregates (they stay in memory)", e);
        }
    }

    private byte[] encode() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        DataOutputStream out = Snapshots.output(bytes);
        catalog.write(out);
        out.writeInt(environments.size());
        for (EnvironmentHistory h : environments.values()) {
            out.writeUTF(h.name);
            h.write(out);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** Starts from the stored aggregates, if there are any of this format and failure window. */
    private void restore(Connection c) throws SQLException {
        Snapshots.Stored stored = Snapshots.load(c, EnvironmentHistory.micros(failureWindow));
        if (stored == null) {
            return;
        }
        Catalog cat = new Catalog();
        Map<String, EnvironmentHistory> histories = new TreeMap<>();
        try (DataInputStream in = Snapshots.input(stored.data())) {
            cat.read(in);
            for (int i = in.readInt(); i > 0; i--) {
                String name = in.readUTF();
                EnvironmentHistory h = new EnvironmentHistory(name, cat, failureWindow, OUTLIER_WINDOW, OUTLIER_MIN_SAMPLES);
                h.read(in);
                histories.put(name, h);
            }
            if (in.read() != -1) {
                throw new IOException("trailing bytes");
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "the stored telemetry aggregates could not be read; folding the whole ledger", e);
            return;
        }
        catalog = cat;
        environments = histories;
        facts.restore(stored.factMark());
        verifications.restore(stored.verificationMark());
        storedTotal = stored.total();
    }

    /**
     * Folds the facts after the mark, in id order. A tail longer than a page (a first fold, a start after a long
     * stop) is read ahead: another thread reads the next page while this one folds the last, so that reading and
     * folding take the two cores instead of one after the other.
     */
    private long readFacts(Connection c) throws SQLException {
        FactPage first = FactPage.read(c, facts.mark(), pageSize);
        long folded = fold(c, first);
        if (folded < first.size || !first.full()) {
            return folded;
        }
        return folded + foldReadAhead(c, first.lastId());
    }

    /** Reads facts {@code n} at a time (tests: a short history then takes the read-ahead path). */
    synchronized DeliveryTelemetry pageSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("page size: " + n + " must be at least 1");
        }
        pageSize = n;
        return this;
    }

    private long foldReadAhead(Connection c, long after) throws SQLException {
        BlockingQueue<FactPage> pages = new ArrayBlockingQueue<>(2);
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                store.read(rc -> {
                    long from = after;
                    while (true) {
                        FactPage p = FactPage.read(rc, from, pageSize);
                        // never interrupted (H2 closes its file on an interrupt): it gives up once the fold is done
                        if (!handOver(pages, p, done)) {
                            return null;
                        }
                        if (!p.full()) {
                            return null;
                        }
                        from = p.lastId();
                    }
                });
            } catch (RuntimeException e) {
                pages.offer(FactPage.failed(e));
            }
        }, "release-line-telemetry-read-ahead");
        reader.setDaemon(true);
        reader.start();
        long folded = 0;
        try {
            while (true) {
                FactPage p;
                try {
                    p = pages.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while folding the telemetry facts", e);
                }
                if (p == null) {
                    if (!reader.isAlive() && pages.isEmpty()) {
                        throw new IllegalStateException("the telemetry read-ahead stopped before the last page of facts");
                    }
                    continue;
                }
                if (p.failure != null) {
                    throw p.failure;
                }
                long n = fold(c, p);
                folded += n;
                if (n < p.size || !p.full()) {
                    return folded;
                }
            }
        } finally {
            done.set(true);
            pages.clear();
        }
    }

    /** Queues {@code page} for the folding thread; false when the fold no longer wants it. */
    private static boolean handOver(BlockingQueue<FactPage> pages, FactPage page, AtomicBoolean done) {
        try {
            while (!pages.offer(page, 50, TimeUnit.MILLISECONDS)) {
                if (done.get()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Folds the page's facts in order until the cursor stops at a gap; returns how many it folded. */
    private long fold(Connection c, FactPage p) throws SQLException {
        int lastEnv = 0;
        int lastArt = 0;
        EnvironmentHistory h = null;
        for (int i = 0; i < p.size; i++) {
            if (!facts.accept(p.id[i])) {
                return i;
            }
            int kind = p.kind[i];
            int art = p.artifact[i];
            int dig = p.digest[i];
            long at = p.at[i];
            if (kind == TelemetryFacts.CHANGE) {
                catalog.change(dig, at, p.hotfix[i]);
                continue;
            }
            int env = p.environment[i];
            if (h == null || env != lastEnv) {
                lastEnv = env;
                h = fold(catalog.name(c, env));
            }
            if (art != lastArt) {
                lastArt = art;
                catalog.name(c, art);
            }
            LedgerKind recorded = TelemetryFacts.ledgerKind(kind);
            if (recorded != null) {
                h.counted(recorded);
            }
            switch (kind) {
                case TelemetryFacts.DEPLOYED -> h.deployed(p.promotion[i], art, dig, at, p.started[i]);
                case TelemetryFacts.FAILED -> h.failed(p.promotion[i], art, dig, at);
                case TelemetryFacts.ROLLED_BACK -> h.rolledBack(art, at, p.requested[i] == Long.MIN_VALUE ? at : p.requested[i]);
                default -> { } // verified, refused, rejected, cancelled: counted only
            }
        }
        return p.size;
    }

    private void readVerifications(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, promotion_id, environment, artifact, failed_micros FROM "
                + "release_line_telemetry_verification WHERE id > ? ORDER BY id")) {
            q.setLong(1, verifications.mark());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next() && verifications.accept(rs.getLong(1))) {
                    fold(rs.getString(3)).verificationFailed(rs.getLong(2), catalog.artifact(c, rs.getString(4)), rs.getLong(5));
                }
            }
        }
    }

    /** Andon pulls are few and change after the fact (released, extended): re-read them each time. */
    private void readFreezes(Connection c) throws SQLException {
        long now = clock.millis();
        List<long[]> everywhere = new ArrayList<>();
        Map<String, List<long[]>> byEnvironment = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT scope_job, scope_env, pulled_at, expires_at, released_at "
                + "FROM release_line_andon_freeze ORDER BY id");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                String job = rs.getString(1);
                String env = rs.getString(2);
                long pulled = rs.getLong(3);
                long expires = rs.getLong(4);
                boolean expiresNever = rs.wasNull();
                long released = rs.getLong(5);
                boolean open = rs.wasNull();
                long end = !open ? released : !expiresNever && expires <= now ? expires : -1;
                long[] span = {pulled * 1_000, end < 0 ? -1 : end * 1_000};
                if (env != null) {
                    byEnvironment.computeIfAbsent(env, k -> new ArrayList<>()).add(span);
                } else if (job == null) {
                    everywhere.add(span);
                }
            }
        }
        byEnvironment.keySet().forEach(this::fold);
        for (EnvironmentHistory h : environments.values()) {
            List<long[]> spans = new ArrayList<>(everywhere);
            spans.addAll(byEnvironment.getOrDefault(h.name, List.of()));
            long[] starts = new long[spans.size()];
            long[] ends = new long[spans.size()];
            for (int i = 0; i < spans.size(); i++) {
                starts[i] = spans.get(i)[0];
                ends[i] = spans.get(i)[1];
            }
            h.andon(starts, ends);
        }
    }
}
