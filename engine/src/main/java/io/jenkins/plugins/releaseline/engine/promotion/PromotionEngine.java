package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.ChangeSignals;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Promotion of one artifact digest through the environments: requests, gates, approvals, the deploy lock,
 * outcomes and rollbacks, each recorded in the ledger and the audit trail in the same transaction.
 *
 * <p>The life of a promotion: {@link #request} records it; {@link #evaluate} shows every gate's verdict;
 * {@link #approve} / {@link #reject} record approvers' answers; {@link #begin} re-checks every gate and takes
 * the deploy lock atomically (or queues, or refuses); {@link #finish} records deployed or failed and frees the
 * lock; {@link #verify} marks a deployment checked; {@link #rollback} re-promotes the previous good digest.
 */
public final class PromotionEngine {

    /** Raised in every transaction that changes promotion state, so that other controllers' pages refresh. */
    public static final String TOPIC = "promotion";
    public static final Duration DEFAULT_QUEUE_HEARTBEAT = Duration.ofMinutes(5);

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;
    private final FreezeCheck freezeCheck;
    private final LedgerListener ledgerListener;
    private final List<PromotionGate> gates;
    private volatile EnvironmentOrder order;
    private volatile Duration queueHeartbeat = DEFAULT_QUEUE_HEARTBEAT;
    private volatile Board board;

    /** What runs where, as of one value of the promotion topic's change counter. */
    private record Board(long version, List<Deployment> rows) {}

    /**
     * @param freezeCheck the freeze board to ask, or {@code null} where none is installed (the freeze gate then
     *                    says so in its verdict)
     */
    public PromotionEngine(Store store, AuditTrail audit, Clock clock, FreezeCheck freezeCheck) {
        this(store, audit, clock, freezeCheck, LedgerListener.NONE);
    }

    /**
     * @param freezeCheck    the freeze board to ask, or {@code null} where none is installed
     * @param ledgerListener told of every ledger record in the transaction that appends it (delivery telemetry)
     */
    public PromotionEngine(Store store, AuditTrail audit, Clock clock, FreezeCheck freezeCheck, LedgerListener ledgerListener) {
        this.ledgerListener = Objects.requireNonNull(ledgerListener, "ledgerListener");
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.freezeCheck = freezeCheck;
        this.gates = List.of(new PreviousEnvironmentGate(), new SoakTimeGate(), new ApprovalGate(), new FreezeGate(),
                new DeployLockGate(), new BranchGate(), new NewerArtifactGate());
        reload();
    }

    // ---- configuration

    /** The environment order in force: the stored one, or {@link EnvironmentOrder#defaults()} before any was stored. */
    public EnvironmentOrder environments() {
        return order;
    }

    /** Re-reads the stored environment order (after another controller changed it). */
    public void reload() {
        order = store.read(PromotionLedger::config).map(PromotionJson::order).orElseGet(EnvironmentOrder::defaults);
    }

    /** Stores a new environment order; recorded in the audit trail with the order before and after. */
    public EnvironmentOrder configure(EnvironmentOrder newOrder, String principal) {
        Objects.requireNonNull(newOrder, "environments");
        String who = Inputs.requirePrincipal(principal);
        String json = PromotionJson.order(newOrder);
        store.inTransaction(c -> {
            Optional<String> before = PromotionLedger.configForUpdate(c);
            if (before.isPresent() && before.get().equals(json)) {
                return null;
            }
            PromotionLedger.putConfig(c, json, clock.instant(), who);
            audit.append(c, who, new AuditEvent("promotion.configure", AuditScope.of(AuditScope.Kind.CONFIG, "promotion"),
                    "environments: " + newOrder, before.orElse(null), json));
            ChangeSignals.raise(c, TOPIC);
            return null;
        });
        order = newOrder;
        return newOrder;
    }

    /** How long a queued promotion may go without asking again before it stops holding up the ones behind it. */
    public void setQueueHeartbeat(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("queueHeartbeat: must be positive");
        }
        this.queueHeartbeat = timeout;
    }

    // ---- the life of a promotion

    /** Records a promotion attempt. Checks the environment and the request before writing anything. */
    public Promotion request(PromotionRequest request) {
        return request(request, (c, p) -> {});
    }

    /** Work done in the transaction that records a new promotion (a driver records the promotion's id). */
    interface AlsoInTransaction {
        void run(Connection c, Promotion p) throws SQLException;
    }

    /** {@link #request(PromotionRequest)}, with {@code also} committed in the same transaction. */
    Promotion request(PromotionRequest request, AlsoInTransaction also) {
        Objects.requireNonNull(request, "request");
        checkPromoter(environments().require(request.environment()), request.requester());
        return store.inTransaction(c -> {
            Instant now = clock.instant();
            Promotion p = PromotionLedger.insert(c, request, false, null, now, store.controllerId());
            PromotionLedger.recordLineage(c, p.artifact(), p.id(), now);
            PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.REQUESTED, p.requestedBy(), now, null, null);
            record(c, p.requestedBy(), "promotion.request", p, "requested " + p.artifact() + " to " + p.environment(), null);
            also.run(c, p);
            return p;
        });
    }

    /** Every gate's verdict now; changes nothing. */
    public Evaluation evaluate(long promotionId) {
        Promotion known = promotion(promotionId);
        FreezeCheck.Answer freeze = askFreeze(known);
        return store.read(c -> {
            Promotion p = require(c, promotionId, false);
            return new Evaluation(p, runGates(context(c, p, freeze, clock.instant())));
        });
    }

    /**
     * Re-checks every gate and, when all pass, takes the deploy lock and marks the promotion deploying, in one
     * transaction (so two builds, on one controller or two, never both start). When a gate waits and
     * {@code mayWait} holds, the promotion stays requested (and queues for the lock if that is what it waits
     * for); call again later. Otherwise, and whenever a gate fails, the promotion is recorded as refused with
     * every verdict.
     */
    public Attempt begin(long promotionId, boolean mayWait, String principal) {
        String who = Inputs.requirePrincipal(principal);
        Promotion known = promotion(promotionId);
        FreezeCheck.Answer freeze = askFreeze(known);
        return store.inTransaction(c -> {
            Instant now = clock.instant();
            Promotion p = require(c, promotionId, true);
            Environment env = environments().require(p.environment());
            if (env.deployLock()) {
                PromotionLedger.lockRowForUpdate(c, env.name());
            }
            if (p.status() == PromotionStatus.DEPLOYING) {
                return new Attempt(Attempt.Outcome.STARTED, new Evaluation(p, runGates(context(c, p, freeze, now))));
            }
            if (p.status() == PromotionStatus.REJECTED || p.status() == PromotionStatus.REFUSED) {
                return new Attempt(Attempt.Outcome.REFUSED, new Evaluation(p, runGates(context(c, p, freeze, now))));
            }
            if (p.status() != PromotionStatus.REQUESTED) {
                throw new IllegalArgumentException("promotion: " + p.id() + " is already " + p.status().name().toLowerCase(java.util.Locale.ROOT)
                        + "; request a new promotion to deploy again");
            }
            List<GateVerdict> verdicts = runGates(context(c, p, freeze, now));
            Evaluation evaluation = new Evaluation(p, verdicts);
            Verdict overall = evaluation.overall();
            if (overall == Verdict.FAIL || (overall == Verdict.WAIT && !mayWait)) {
                String why = summary(overall == Verdict.FAIL ? evaluation.failed() : evaluation.waiting());
                PromotionLedger.setStatus(c, p.id(), PromotionStatus.REFUSED, now, null, Inputs.requireLength("comment", clip(why), 2_000));
                PromotionLedger.dequeue(c, p.id());
                PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.REFUSED, who, now, clip(why), PromotionJson.verdicts(verdicts));
                Promotion refused = require(c, p.id(), false);
                record(c, who, "promotion.refuse", refused, clip("refused: " + why), p);
                return new Attempt(Attempt.Outcome.REFUSED, new Evaluation(refused, verdicts));
            }
            if (overall == Verdict.WAIT) {
                if (env.deployLock() && evaluation.of(DeployLockGate.NAME).verdict() == Verdict.WAIT) {
                    if (PromotionLedger.enqueue(c, env.name(), p.id(), now)) {
                        record(c, who, "promotion.queue", p, "waiting for the deploy lock of " + env.name(), null);
                    }
                }
                return new Attempt(Attempt.Outcome.WAITING, evaluation);
            }
            if (env.deployLock()) {
                PromotionLedger.setLock(c, env.name(), p.id(), now);
            }
            PromotionLedger.dequeue(c, p.id());
            PromotionLedger.setStatus(c, p.id(), PromotionStatus.DEPLOYING, now, null, null);
            PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.STARTED, who, now, null, PromotionJson.verdicts(verdicts));
            Promotion started = require(c, p.id(), false);
            record(c, who, "promotion.start", started, "every gate passed; deploying " + p.artifact() + " to " + p.environment(), p);
            return new Attempt(Attempt.Outcome.STARTED, new Evaluation(started, verdicts));
        });
    }

    /**
     * Records the deployment's outcome and frees the deploy lock. A deployed rollback is recorded as rolled back,
     * and the promotion it replaced is marked rolled back (so its digest goes no further).
     */
    public Promotion finish(long promotionId, boolean deployed, String principal, String comment) {
        String who = Inputs.requirePrincipal(principal);
        String note = Inputs.reason(comment, false);
        return store.inTransaction(c -> {
            Instant now = clock.instant();
            Promotion p = require(c, promotionId, true);
            PromotionStatus target = deployed ? PromotionStatus.DEPLOYED : PromotionStatus.FAILED;
            if (p.status() == target) {
                return p;
            }
            if (p.status() != PromotionStatus.DEPLOYING) {
                throw new IllegalArgumentException("promotion: " + p.id() + " is " + p.status().name().toLowerCase(java.util.Locale.ROOT)
                        + ", not deploying; only a started deployment can be recorded as deployed or failed");
            }
            Environment env = environments().find(p.environment()).orElse(null);
            if (deployed) {
                Optional<Deployment> replaced = PromotionLedger.current(c, p.environment(), p.artifact().name());
                PromotionLedger.setStatus(c, p.id(), PromotionStatus.DEPLOYED, now, now, note);
                PromotionLedger.putCurrent(c, new Deployment(p.environment(), p.artifact(), p.id(), now, p.requestedBy(),
                        p.buildLink(), p.jobPath(), p.rollback()));
                if (p.rollback() && replaced.isPresent() && replaced.get().promotionId() != p.id()) {
                    Deployment bad = replaced.get();
                    if (!bad.artifact().digest().equals(p.artifact().digest())) {
                        PromotionLedger.setStatus(c, bad.promotionId(), PromotionStatus.ROLLED_BACK, now, null, null);
                    }
                    PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.ROLLED_BACK, who, now,
                            clip("rolled back from " + bad.artifact() + (note == null ? "" : ": " + note)), null);
                } else {
                    PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.DEPLOYED, who, now, note, null);
                }
            } else {
                PromotionLedger.setStatus(c, p.id(), PromotionStatus.FAILED, now, null, note);
                PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.FAILED, who, now, note, null);
            }
            releaseLockOf(c, env, p, now);
            Promotion after = require(c, p.id(), false);
            record(c, who, deployed ? (p.rollback() ? "promotion.rolled-back" : "promotion.deployed") : "promotion.failed", after,
                    note, p);
            return after;
        });
    }

    /** Marks a deployed promotion as verified (its checks in the environment passed). */
    public Promotion verify(long promotionId, String principal, String comment) {
        String who = Inputs.requirePrincipal(principal);
        String note = Inputs.reason(comment, false);
        return store.inTransaction(c -> {
            Instant now = clock.instant();
            Promotion p = require(c, promotionId, true);
            if (p.status() == PromotionStatus.VERIFIED) {
                return p;
            }
            if (p.status() != PromotionStatus.DEPLOYED) {
                throw new IllegalArgumentException("promotion: " + p.id() + " is " + p.status().name().toLowerCase(java.util.Locale.ROOT)
                        + "; only a deployed promotion can be verified");
            }
            PromotionLedger.setStatus(c, p.id(), PromotionStatus.VERIFIED, now, null, note);
            PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.VERIFIED, who, now, note, null);
            Promotion after = require(c, p.id(), false);
            record(c, who, "promotion.verified", after, note, p);
            return after;
        });
    }

    /** Gives up a promotion that is waiting or deploying (timeout, aborted build); frees its lock and queue place. */
    public Promotion cancel(long promotionId, String principal, String reason) {
        String who = Inputs.requirePrincipal(principal);
        String why = Inputs.reason(reason, true);
        return store.inTransaction(c -> {
            Instant now = clock.instant();
            Promotion p = require(c, promotionId, true);
            if (p.status().finished()) {
                return p;
            }
            PromotionLedger.setStatus(c, p.id(), PromotionStatus.CANCELLED, now, null, why);
            PromotionLedger.dequeue(c, p.id());
            releaseLockOf(c, environments().find(p.environment()).orElse(null), p, now);
            PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.CANCELLED, who, now, why, null);
            Promotion after = require(c, p.id(), false);
            record(c, who, "promotion.cancel", after, why, p);
            return after;
        });
    }

    /**
     * Frees an environment's deploy lock whose holder will never finish (its build vanished); the holder is
     * recorded as failed with who released it and why.
     */
    public Optional<Promotion> releaseLock(String environment, String principal, String reason) {
        String who = Inputs.requirePrincipal(principal);
        String why = Inputs.reason(reason, true);
        Environment env = environments().require(environment);
        return store.inTransaction(c -> {
            Instant now = clock.instant();
            Optional<Long> holder = PromotionLedger.lockRowForUpdate(c, env.name());
            if (holder.isEmpty()) {
                return Optional.<Promotion>empty();
            }
            Promotion p = require(c, holder.get(), true);
            String note = clip("deploy lock released by " + who + ": " + why);
            if (p.status() == PromotionStatus.DEPLOYING) {
                PromotionLedger.setStatus(c, p.id(), PromotionStatus.FAILED, now, null, note);
                PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.FAILED, who, now, note, null);
            }
            PromotionLedger.setLock(c, env.name(), null, now);
            Promotion after = require(c, p.id(), false);
            record(c, who, "promotion.release-lock", after, note, p);
            return Optional.of(after);
        });
    }

    // ---- approvals

    /**
     * Records {@code approver}'s approval. Refused, with nothing written, when the environment needs none, the
     * approver is not allowed, the approver started the build and separation of duties is on, or the approver
     * already approved. Returns the approvals so far.
     */
    public List<Approval> approve(long promotionId, Actor approver, String comment) {
        Objects.requireNonNull(approver, "approver");
        String note = Inputs.reason(comment, false);
        return store.inTransaction(c -> {
            Instant now = clock.instant();
            Promotion p = require(c, promotionId, true);
            Environment env = environments().require(p.environment());
            checkMayAnswer(p, env, approver);
            ApprovalRule rule = env.approvals();
            if (!rule.needed()) {
                throw new IllegalArgumentException("approval: " + env.name() + " needs no approval; promotion " + p.id() + " goes on without one");
            }
            if (rule.separationOfDuties() && approver.id().equals(p.requestedBy())) {
                throw new ApprovalRefusedException("approver: " + approver.id() + " started the build of promotion " + p.id()
                        + " and " + env.name() + " separates duties; someone else among " + rule.describeApprovers() + " must approve");
            }
            List<Approval> before = PromotionLedger.approvals(c, p.id());
            for (Approval a : before) {
                if (a.approver().equals(approver.id())) {
                    throw new ApprovalRefusedException("approver: " + approver.id() + " already approved promotion " + p.id() + " at "
                            + a.at() + "; an approver counts once, " + Math.max(0, rule.required() - before.size())
                            + " more needed from others");
                }
            }
            if (before.size() >= rule.required()) {
                throw new ApprovalRefusedException("approval: promotion " + p.id() + " already has the " + rule.required()
                        + " approval(s) " + env.name() + " requires (" + before.stream().map(Approval::approver)
                        .collect(java.util.stream.Collectors.joining(", ")) + "); no more are needed, it goes on at its next"
                        + " evaluation");
            }
            PromotionLedger.insertApproval(c, p.id(), approver.id(), now, note);
            PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.APPROVED, approver.id(), now, note, null);
            List<Approval> after = PromotionLedger.approvals(c, p.id());
            record(c, approver.id(), "promotion.approve", p, clip("approval " + after.size() + " of " + rule.required()
                    + (note == null ? "" : ": " + note)), null);
            return after;
        });
    }

    /** An allowed approver says no, with a comment; the promotion is rejected and its build fails with the comment. */
    public Promotion reject(long promotionId, Actor approver, String comment) {
        Objects.requireNonNull(approver, "approver");
        String note = Inputs.reason(comment, true);
        return store.inTransaction(c -> {
            Instant now = clock.instant();
            Promotion p = require(c, promotionId, true);
            Environment env = environments().require(p.environment());
            checkMayAnswer(p, env, approver);
            String stored = clip("by " + approver.id() + ": " + note);
            PromotionLedger.setStatus(c, p.id(), PromotionStatus.REJECTED, now, null, stored);
            PromotionLedger.dequeue(c, p.id());
            PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.REJECTED, approver.id(), now, note, null);
            Promotion after = require(c, p.id(), false);
            record(c, approver.id(), "promotion.reject", after, note, p);
            return after;
        });
    }

    private static void checkPromoter(Environment env, Actor actor) {
        if (!env.allowsPromoter(actor)) {
            throw new IllegalArgumentException("promoter: " + actor.id() + " may not promote to " + env.name() + "; allowed: "
                    + String.join(", ", env.promoters()) + " (the user who started the build, or one of its groups)");
        }
    }

    private static void checkMayAnswer(Promotion p, Environment env, Actor approver) {
        if (p.status() != PromotionStatus.REQUESTED) {
            throw new IllegalArgumentException("promotion: " + p.id() + " is " + p.status().name().toLowerCase(java.util.Locale.ROOT)
                    + "; only a waiting promotion can be approved or rejected");
        }
        if (!env.approvals().allows(approver)) {
            throw new ApprovalRefusedException("approver: " + approver.id() + " may not approve promotions to " + env.name()
                    + "; allowed: " + env.approvals().describeApprovers());
        }
    }

    /** Whether {@code actor} could approve this promotion now (for showing or hiding the buttons). */
    public boolean mayApprove(Promotion p, Actor actor) {
        Environment env = environments().find(p.environment()).orElse(null);
        if (env == null || p.status() != PromotionStatus.REQUESTED || !env.approvals().needed() || !env.approvals().allows(actor)
                || (env.approvals().separationOfDuties() && actor.id().equals(p.requestedBy()))) {
            return false;
        }
        // the same refusals as approve(): an approver counts once, and nobody approves past the quorum
        List<Approval> given = approvals(p.id());
        return given.size() < env.approvals().required() && given.stream().noneMatch(a -> a.approver().equals(actor.id()));
    }

    // ---- rollback

    /**
     * Requests the re-promotion of the digest that ran in {@code environment} before the current one. The
     * rollback then goes through {@link #begin} (which checks only the deploy lock) and {@link #finish}.
     */
    public Promotion rollback(String environment, String artifact, Actor actor, String reason, String jobPath, String buildLink) {
        return rollback(environment, artifact, actor, reason, jobPath, buildLink, (c, p) -> {});
    }

    /** {@link #rollback(String, String, Actor, String, String, String)}, with {@code also} in the same transaction. */
    Promotion rollback(String environment, String artifact, Actor actor, String reason, String jobPath, String buildLink,
                       AlsoInTransaction also) {
        Objects.requireNonNull(actor, "actor");
        Environment env = environments().require(environment);
        checkPromoter(env, actor);
        String name = Artifact.requireArtifactName(artifact);
        String why = Inputs.reason(reason, true);
        return store.inTransaction(c -> {
            Instant now = clock.instant();
            Deployment current = PromotionLedger.current(c, env.name(), name).orElseThrow(() -> new IllegalArgumentException(
                    "rollback: " + env.name() + " runs no " + name + "; nothing to roll back"));
            Promotion good = PromotionLedger.previousGood(c, env.name(), name, current.artifact().digest().value(), current.promotionId())
                    .orElseThrow(() -> new IllegalArgumentException("rollback: " + env.name() + " ran no good " + name
                            + " before " + current.artifact() + "; nothing earlier to go back to"));
            PromotionRequest r = new PromotionRequest(env.name(), good.artifact(), null, jobPath, buildLink, actor.id());
            String note = clip("rollback from " + current.artifact() + " to " + good.artifact() + ": " + why);
            Promotion p = PromotionLedger.insert(c, r, true, note, now, store.controllerId());
            PromotionLedger.appendEvent(c, ledgerListener, p, LedgerKind.REQUESTED, actor.id(), now, note, null);
            record(c, actor.id(), "promotion.rollback", p, note, null);
            also.run(c, p);
            return p;
        });
    }

    // ---- queries

    public Promotion promotion(long id) {
        return store.read(c -> require(c, id, false));
    }

    public List<Approval> approvals(long promotionId) {
        return store.read(c -> PromotionLedger.approvals(c, promotionId));
    }

    /** What runs in each environment now, in the line's order (environments with nothing deployed map to an empty list). */
    public Map<String, List<Deployment>> current() {
        List<Deployment> all = store.read(c -> {
            // the board is read far more often than it changes: keep the rows while the promotion topic's counter,
            // raised in every transaction that changes promotion state on any controller, stays where it was
            long version = PromotionLedger.signal(c, TOPIC);
            Board cached = board;
            if (cached != null && cached.version() == version) {
                return cached.rows();
            }
            List<Deployment> rows = List.copyOf(PromotionLedger.currentList(c, null));
            board = new Board(version, rows);
            return rows;
        });
        Map<String, List<Deployment>> out = new LinkedHashMap<>();
        environments().names().forEach(n -> out.put(n, new ArrayList<>()));
        for (Deployment d : all) {
            out.computeIfAbsent(d.environment(), k -> new ArrayList<>()).add(d);
        }
        return out;
    }

    public List<Deployment> current(String environment) {
        return store.read(c -> PromotionLedger.currentList(c, "environment = ?", environment));
    }

    /** The environment's ledger, newest first; {@code beforeId} pages back (0 for the newest). */
    public List<LedgerEntry> history(String environment, long beforeId, int limit) {
        checkLimit(limit);
        return store.read(c -> PromotionLedger.events(c, "environment = ? AND id < ?", limit, environment,
                beforeId <= 0 ? Long.MAX_VALUE : beforeId));
    }

    /** One artifact's ledger across every environment, newest first. */
    public List<LedgerEntry> artifactHistory(String artifact, long beforeId, int limit) {
        checkLimit(limit);
        return store.read(c -> PromotionLedger.events(c, "artifact = ? AND id < ?", limit, artifact,
                beforeId <= 0 ? Long.MAX_VALUE : beforeId));
    }

    /** One promotion's ledger entries, newest first. */
    public List<LedgerEntry> entries(long promotionId) {
        return store.read(c -> PromotionLedger.events(c, "promotion_id = ?", 1_000, promotionId));
    }

    /** Every promotion of this digest, newest first: where it has been and how it went. */
    public List<Promotion> whereHasBeen(Digest digest) {
        Objects.requireNonNull(digest, "digest");
        return store.read(c -> PromotionLedger.ofDigest(c, digest.value(), 1_000));
    }

    /** What runs in {@code from} and in {@code to}, and what went green in {@code from} but never ran in {@code to}. */
    public EnvironmentDiff diff(String from, String to) {
        environments().require(from);
        environments().require(to);
        return store.read(c -> {
            Map<String, Deployment> a = new LinkedHashMap<>();
            PromotionLedger.currentList(c, "environment = ?", from).forEach(d -> a.put(d.artifact().name(), d));
            Map<String, Deployment> b = new LinkedHashMap<>();
            PromotionLedger.currentList(c, "environment = ?", to).forEach(d -> b.put(d.artifact().name(), d));
            java.util.TreeSet<String> names = new java.util.TreeSet<>(a.keySet());
            names.addAll(b.keySet());
            List<EnvironmentDiff.Row> rows = new ArrayList<>();
            for (String n : names) {
                rows.add(new EnvironmentDiff.Row(n, Optional.ofNullable(a.get(n)), Optional.ofNullable(b.get(n))));
            }
            return new EnvironmentDiff(from, to, rows, PromotionLedger.notYetIn(c, from, to, 100));
        });
    }

    /** Promotions waiting for approvers, oldest first. */
    public List<PendingApproval> pendingApprovals() {
        EnvironmentOrder o = environments();
        return store.read(c -> {
            List<PendingApproval> out = new ArrayList<>();
            for (Promotion p : PromotionLedger.withStatus(c, PromotionStatus.REQUESTED, 500)) {
                Optional<Environment> env = o.find(p.environment());
                if (env.isPresent() && env.get().approvals().needed() && !p.rollback()) {
                    List<Approval> have = PromotionLedger.approvals(c, p.id());
                    if (have.size() < env.get().approvals().required()) {
                        out.add(new PendingApproval(p, have, env.get().approvals()));
                    }
                }
            }
            return out;
        });
    }

    /** The deploy locks held now. */
    public List<LockHolder> locks() {
        return store.read(PromotionLedger::lockHolders);
    }

    /** Promotions queued for {@code environment}'s lock, oldest (first served) first. */
    public List<Long> queue(String environment) {
        Instant fresh = clock.instant().minus(queueHeartbeat);
        return store.read(c -> PromotionLedger.queue(c, environment, fresh));
    }

    // ---- internals

    private GateContext context(Connection c, Promotion p, FreezeCheck.Answer freeze, Instant now) throws SQLException {
        EnvironmentOrder o = environments();
        Environment env = o.require(p.environment());
        Environment previous = env.promotesFrom() == null ? null : o.require(env.promotesFrom());
        Optional<Promotion> prevLatest = previous == null || p.rollback() ? Optional.empty()
                : PromotionLedger.latestFinished(c, previous.name(), p.artifact());
        Optional<Promotion> prevGreen = prevLatest.filter(x -> x.status().green());
        Optional<Promotion> sameVersion = previous == null || p.rollback() || prevGreen.isPresent() ? Optional.empty()
                : PromotionLedger.sameVersionOtherDigest(c, previous.name(), p.artifact());
        List<Approval> approvals = env.approvals().needed() ? PromotionLedger.approvals(c, p.id()) : List.of();
        Optional<LockHolder> holder = Optional.empty();
        int ahead = 0;
        if (env.deployLock()) {
            holder = PromotionLedger.lockHolder(c, env.name());
            ahead = PromotionLedger.queuedAhead(c, env.name(), p.id(), now.minus(queueHeartbeat));
        }
        Optional<Deployment> current = PromotionLedger.current(c, env.name(), p.artifact().name());
        boolean newer = false;
        if (current.isPresent() && !current.get().artifact().digest().equals(p.artifact().digest())) {
            long mine = PromotionLedger.ordinal(c, p.artifact().name(), p.artifact().digest().value()).orElse(p.id());
            long theirs = PromotionLedger.ordinal(c, p.artifact().name(), current.get().artifact().digest().value()).orElse(0L);
            newer = theirs > mine;
        }
        return new GateContext(p, env, previous, now, prevGreen, prevLatest, sameVersion, approvals, freeze, holder, ahead,
                current, newer);
    }

    private List<GateVerdict> runGates(GateContext ctx) {
        List<GateVerdict> out = new ArrayList<>(gates.size());
        for (PromotionGate g : gates) {
            out.add(g.evaluate(ctx));
        }
        return out;
    }

    private FreezeCheck.Answer askFreeze(Promotion p) {
        return freezeCheck == null ? null : freezeCheck.check(p.environment(), p.jobPath(), p.requestedBy());
    }

    private void releaseLockOf(Connection c, Environment env, Promotion p, Instant now) throws SQLException {
        if (env == null) {
            return;
        }
        Optional<Long> holder = PromotionLedger.lockRowForUpdate(c, env.name());
        if (holder.isPresent() && holder.get() == p.id()) {
            PromotionLedger.setLock(c, env.name(), null, now);
        }
    }

    private static Promotion require(Connection c, long id, boolean forUpdate) throws SQLException {
        return PromotionLedger.promotion(c, id, forUpdate).orElseThrow(() -> new IllegalArgumentException(
                "promotion: no promotion " + id + "; it was never requested"));
    }

    private void record(Connection c, String who, String action, Promotion after, String reason, Promotion before) throws SQLException {
        audit.append(c, who, new AuditEvent(action, AuditScope.of(AuditScope.Kind.PROMOTION, after.environment() + "/" + after.artifact().name()),
                reason, before == null ? null : PromotionJson.promotion(before), PromotionJson.promotion(after)));
        ChangeSignals.raise(c, TOPIC);
    }

    private static String summary(List<GateVerdict> verdicts) {
        return verdicts.stream().map(v -> v.gate() + ": " + v.reason()).collect(Collectors.joining("; "));
    }

    private static String clip(String s) {
        return s == null || s.length() <= Inputs.MAX_REASON ? s : s.substring(0, Inputs.MAX_REASON - 3) + "...";
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 1_000) {
            throw new IllegalArgumentException("limit: " + limit + " is outside 1..1000");
        }
    }
}
