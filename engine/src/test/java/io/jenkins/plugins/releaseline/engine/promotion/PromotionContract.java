package io.jenkins.plugins.releaseline.engine.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The promotion engine's behaviour, run against each database the store supports. */
abstract class PromotionContract {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final String A = "sha256:" + "a".repeat(64);
    static final String B = "sha256:" + "b".repeat(64);
    static final String C = "sha256:" + "c".repeat(64);

    StoreTarget target;
    Store store;
    TestClock clock;
    AuditTrail audit;
    TestFreezeBoard freezes;
    PromotionEngine engine;
    final List<Store> extraStores = new ArrayList<>();

    abstract StoreTarget newTarget() throws Exception;

    @BeforeEach
    void open() throws Exception {
        target = newTarget();
        store = target.open("controller-a");
        clock = new TestClock(T0);
        audit = new AuditTrail(store, clock);
        freezes = new TestFreezeBoard();
        engine = new PromotionEngine(store, audit, clock, freezes);
        engine.configure(line(LockPolicy.WAIT), "admin");
    }

    @AfterEach
    void close() {
        extraStores.forEach(Store::close);
        store.close();
    }

    /** integration -> staging -> prod; prod: an hour in staging, 2 of alice, bob, group release-managers, duties separated. */
    static EnvironmentOrder line(LockPolicy policy) {
        return EnvironmentOrder.of(List.of(
                Environment.first("integration", "integration", "feature/**").withLock(true, policy),
                Environment.after("integration", "staging", Duration.ZERO, ApprovalRule.NONE, "main").withLock(true, policy),
                Environment.after("staging", "prod", Duration.ofHours(1),
                        ApprovalRule.of(2, Set.of("alice", "bob"), Set.of("release-managers"), true), "release/*").withLock(true, policy)));
    }

    Promotion request(String env, String version, String digest, String branch, String by) {
        return engine.request(new PromotionRequest(env, Artifact.of("app", version, digest), branch, "team/app/" + branch,
                "https://ci.example/job/app/" + version + "/", by));
    }

    /** Requests, starts and records deployed in one go (gates must all pass). */
    Promotion deploy(String env, String version, String digest, String branch) {
        Promotion p = request(env, version, digest, branch, "ci");
        Attempt a = engine.begin(p.id(), false, "ci");
        assertThat(a.outcome()).as(a.evaluation().verdicts().toString()).isEqualTo(Attempt.Outcome.STARTED);
        return engine.finish(p.id(), true, "ci", "deployed by the pipeline");
    }

    long count(String table) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM " + table); ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void oneDigestWalksFromIntegrationToProdThroughEveryGateAndARebuildIsRefused() {
        deploy("integration", "1.4.2", A, "integration");
        clock.advance(Duration.ofMinutes(10));
        deploy("staging", "1.4.2", A, "main");

        Promotion prod = request("prod", "1.4.2", A, "release/1.4", "carol");
        freezes.freeze("prod", "Andon pulled by dave: payments incident INC-7");
        clock.advance(Duration.ofMinutes(12));
        Evaluation first = engine.evaluate(prod.id());
        assertThat(first.overall()).isEqualTo(Verdict.WAIT);
        assertThat(first.verdicts()).extracting(GateVerdict::gate).containsExactly("previous environment", "soak time",
                "approvals", "freeze", "deploy lock", "branch", "newer artifact");
        assertThat(first.of("previous environment").verdict()).isEqualTo(Verdict.PASS);
        assertThat(first.of("soak time")).isEqualTo(GateVerdict.waitFor("soak time",
                "48m left in staging (needs 1h 0m, until 2026-03-02T10:10:00Z)"));
        assertThat(first.of("approvals").verdict()).isEqualTo(Verdict.WAIT);
        assertThat(first.of("approvals").reason()).startsWith("0 of 2 approvals; waiting for alice, bob, group release-managers, not carol");
        assertThat(first.of("freeze")).isEqualTo(GateVerdict.waitFor("freeze", "prod is frozen: Andon pulled by dave: payments incident INC-7"));
        assertThat(first.of("branch").verdict()).isEqualTo(Verdict.PASS);
        assertThat(engine.begin(prod.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.WAITING);

        assertThatThrownBy(() -> engine.approve(prod.id(), Actor.user("carol", "release-managers"), "mine"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("approver: carol started the build of promotion " + prod.id() + " and prod separates duties");
        assertThatThrownBy(() -> engine.approve(prod.id(), Actor.user("mallory", "developers"), null))
                .hasMessageStartingWith("approver: mallory may not approve promotions to prod; allowed: alice, bob, group release-managers");
        assertThat(engine.approve(prod.id(), Actor.user("alice"), "looks good")).hasSize(1);
        assertThatThrownBy(() -> engine.approve(prod.id(), Actor.user("alice"), "again"))
                .hasMessageStartingWith("approver: alice already approved promotion " + prod.id());
        assertThat(engine.approve(prod.id(), Actor.user("erin", "release-managers"), null)).extracting(Approval::approver)
                .containsExactly("alice", "erin");

        Evaluation approved = engine.evaluate(prod.id());
        assertThat(approved.of("approvals")).isEqualTo(GateVerdict.pass("approvals", "2 of 2 (alice, erin)"));
        assertThat(approved.waiting()).extracting(GateVerdict::gate).containsExactly("soak time", "freeze");

        clock.advance(Duration.ofMinutes(48));
        assertThat(engine.evaluate(prod.id()).of("soak time").verdict()).isEqualTo(Verdict.PASS);
        assertThat(engine.begin(prod.id(), true, "ci").outcome()).as("the freeze still holds it").isEqualTo(Attempt.Outcome.WAITING);

        freezes.lift("prod");
        Attempt go = engine.begin(prod.id(), true, "ci");
        assertThat(go.outcome()).isEqualTo(Attempt.Outcome.STARTED);
        assertThat(go.evaluation().overall()).isEqualTo(Verdict.PASS);
        assertThat(engine.locks()).extracting(LockHolder::promotionId).containsExactly(prod.id());
        engine.finish(prod.id(), true, "ci", null);

        assertThat(engine.current().get("prod")).singleElement().satisfies(d -> {
            assertThat(d.artifact()).isEqualTo(Artifact.of("app", "1.4.2", A));
            assertThat(d.since()).isEqualTo(T0.plus(Duration.ofMinutes(70)));
            assertThat(d.by()).isEqualTo("carol");
        });
        assertThat(engine.locks()).isEmpty();

        // the same version built again: another digest, refused at prod with both digests named
        deploy("integration", "1.4.2", B, "integration");
        Promotion rebuilt = request("prod", "1.4.2", B, "release/1.4", "carol");
        Attempt refused = engine.begin(rebuilt.id(), true, "ci");
        assertThat(refused.outcome()).isEqualTo(Attempt.Outcome.REFUSED);
        assertThat(refused.evaluation().of("previous environment")).isEqualTo(GateVerdict.fail("previous environment",
                "version 1.4.2 was built again: staging ran digest sha256:aaaaaaaaaaaa.. but this is sha256:bbbbbbbbbbbb.. ; "
                        + "promote the binary that ran in staging, or take this one through staging first"));
        assertThat(engine.promotion(rebuilt.id()).status()).isEqualTo(PromotionStatus.REFUSED);
        assertThat(engine.entries(rebuilt.id())).extracting(LedgerEntry::kind).containsExactly(LedgerKind.REFUSED, LedgerKind.REQUESTED);
        assertThat(engine.entries(rebuilt.id()).get(0).verdicts()).hasSize(7);

        assertThat(engine.entries(prod.id())).extracting(LedgerEntry::kind).containsExactly(LedgerKind.DEPLOYED, LedgerKind.STARTED,
                LedgerKind.APPROVED, LedgerKind.APPROVED, LedgerKind.REQUESTED);
        assertThat(engine.whereHasBeen(Digest.parse(A))).extracting(Promotion::environment).containsExactly("prod", "staging", "integration");
        assertThat(audit.recent(AuditScope.of(AuditScope.Kind.PROMOTION, "prod/app"), false, 50)).extracting(AuditRecord::action)
                .containsExactly("promotion.refuse", "promotion.request", "promotion.deployed", "promotion.start", "promotion.approve",
                        "promotion.approve", "promotion.request");
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void evaluateReportsEveryFailingGateAtOnce() {
        Promotion p = request("staging", "2.0.0", C, "feature/x", "ci");
        Evaluation e = engine.evaluate(p.id());
        assertThat(e.overall()).isEqualTo(Verdict.FAIL);
        assertThat(e.failed()).extracting(GateVerdict::gate).containsExactly("previous environment", "branch");
        assertThat(e.of("previous environment").reason()).isEqualTo("app 2.0.0 (sha256:cccccccccccc) never ran in integration; promote it to integration first");
        assertThat(e.of("branch").reason()).isEqualTo("branch feature/x may not deploy to staging; allowed: main");

        Attempt a = engine.begin(p.id(), true, "ci");
        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.REFUSED);
        assertThat(a.promotion().comment()).contains("previous environment: app 2.0.0").contains("branch: branch feature/x may not deploy");
    }

    @Test
    void aWaitingGateRefusesWhenWaitingIsNotAllowed() {
        deploy("integration", "1.0.0", A, "integration");
        deploy("staging", "1.0.0", A, "main");
        Promotion p = request("prod", "1.0.0", A, "release/1.0", "carol");
        Attempt a = engine.begin(p.id(), false, "ci");
        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.REFUSED);
        assertThat(a.promotion().comment()).startsWith("soak time: 1h 0m left in staging");
        assertThat(count("release_line_deploy_queue")).isZero();
    }

    @Test
    void aRejectionFailsThePromotionWithTheApproversComment() {
        deploy("integration", "1.0.0", A, "integration");
        deploy("staging", "1.0.0", A, "main");
        Promotion p = request("prod", "1.0.0", A, "release/1.0", "carol");
        assertThatThrownBy(() -> engine.reject(p.id(), Actor.user("bob"), "  "))
                .hasMessageStartingWith("reason: must say why");
        engine.reject(p.id(), Actor.user("bob"), "not during the sale");
        Attempt a = engine.begin(p.id(), true, "ci");
        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.REFUSED);
        assertThat(a.evaluation().of("approvals")).isEqualTo(GateVerdict.fail("approvals", "rejected: by bob: not during the sale"));
        assertThatThrownBy(() -> engine.approve(p.id(), Actor.user("alice"), null))
                .hasMessageStartingWith("promotion: " + p.id() + " is rejected; only a waiting promotion can be approved or rejected");
        assertThat(engine.pendingApprovals()).isEmpty();
    }

    @Test
    void approvingWhereNoApprovalIsNeededIsRefusedAndWritesNothing() {
        Promotion p = request("integration", "1.0.0", A, "integration", "ci");
        long events = count("release_line_promotion_event");
        long audits = audit.size();
        assertThatThrownBy(() -> engine.approve(p.id(), Actor.user("alice"), null))
                .hasMessage("approval: integration needs no approval; promotion " + p.id() + " goes on without one");
        assertThat(count("release_line_promotion_event")).isEqualTo(events);
        assertThat(count("release_line_promotion_approval")).isZero();
        assertThat(audit.size()).isEqualTo(audits);
    }

    @Test
    void pendingApprovalsListWhatIsMissing() {
        deploy("integration", "1.0.0", A, "integration");
        deploy("staging", "1.0.0", A, "main");
        Promotion p = request("prod", "1.0.0", A, "release/1.0", "carol");
        engine.approve(p.id(), Actor.user("bob"), null);
        assertThat(engine.pendingApprovals()).singleElement().satisfies(pa -> {
            assertThat(pa.promotion().id()).isEqualTo(p.id());
            assertThat(pa.missing()).isEqualTo(1);
        });
        assertThat(engine.mayApprove(engine.promotion(p.id()), Actor.user("carol", "release-managers"))).isFalse();
        assertThat(engine.mayApprove(engine.promotion(p.id()), Actor.user("alice"))).isTrue();
        assertThat(engine.mayApprove(engine.promotion(p.id()), Actor.user("bob")))
                .as("bob approved already: an approver counts once, so the page offers him no button")
                .isFalse();
    }

    @Test
    void noApprovalIsOfferedOnceTheQuorumIsMet() {
        deploy("integration", "1.0.0", A, "integration");
        deploy("staging", "1.0.0", A, "main");
        Promotion p = request("prod", "1.0.0", A, "release/1.0", "carol");
        int required = engine.environments().require("prod").approvals().required();
        List<Actor> approvers = List.of(Actor.user("bob"), Actor.user("alice"), Actor.user("dave", "release-managers"),
                Actor.user("erin", "release-managers"), Actor.user("frank", "release-managers"));
        for (int i = 0; i < required; i++) {
            assertThat(engine.mayApprove(engine.promotion(p.id()), approvers.get(i))).isTrue();
            engine.approve(p.id(), approvers.get(i), null);
        }
        Actor next = approvers.get(required);
        assertThat(engine.mayApprove(engine.promotion(p.id()), next)).isFalse();
        assertThatThrownBy(() -> engine.approve(p.id(), next, null)).hasMessageContaining("no more are needed");
    }

    @Test
    void theDeployLockServesTheOldestWaitingPromotionFirst() {
        Promotion first = request("integration", "1.0.0", A, "integration", "ci");
        Promotion second = request("integration", "1.0.1", B, "integration", "ci");
        Promotion third = request("integration", "1.0.2", C, "integration", "ci");
        assertThat(engine.begin(first.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.STARTED);

        Attempt waits = engine.begin(third.id(), true, "ci");
        assertThat(waits.outcome()).isEqualTo(Attempt.Outcome.WAITING);
        assertThat(waits.evaluation().of("deploy lock").reason()).startsWith("integration is being deployed by promotion "
                + first.id() + " of app 1.0.0 (sha256:aaaaaaaaaaaa) from team/app/integration since");
        assertThat(engine.begin(second.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.WAITING);
        assertThat(engine.queue("integration")).containsExactly(second.id(), third.id());

        engine.finish(first.id(), true, "ci", null);
        Attempt thirdAgain = engine.begin(third.id(), true, "ci");
        assertThat(thirdAgain.outcome()).isEqualTo(Attempt.Outcome.WAITING);
        assertThat(thirdAgain.evaluation().of("deploy lock").reason()).isEqualTo("1 older promotion(s) to integration go first");
        assertThat(engine.begin(second.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.STARTED);
        engine.finish(second.id(), true, "ci", null);
        assertThat(engine.begin(third.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.STARTED);
        assertThat(engine.queue("integration")).isEmpty();
    }

    @Test
    void aQueuedPromotionThatStopsAskingNoLongerHoldsUpTheOthers() {
        engine.setQueueHeartbeat(Duration.ofMinutes(5));
        Promotion holder = request("integration", "1.0.0", A, "integration", "ci");
        Promotion vanished = request("integration", "1.0.1", B, "integration", "ci");
        Promotion later = request("integration", "1.0.2", C, "integration", "ci");
        engine.begin(holder.id(), true, "ci");
        engine.begin(vanished.id(), true, "ci");
        engine.finish(holder.id(), true, "ci", null);
        clock.advance(Duration.ofMinutes(6));
        assertThat(engine.begin(later.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.STARTED);
    }

    @Test
    void anEnvironmentThatRefusesInsteadOfQueueingNamesTheHolder() {
        engine.configure(line(LockPolicy.REFUSE), "admin");
        Promotion first = request("integration", "1.0.0", A, "integration", "ci");
        Promotion second = request("integration", "1.0.1", B, "integration", "ci");
        engine.begin(first.id(), true, "ci");
        Attempt a = engine.begin(second.id(), true, "ci");
        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.REFUSED);
        assertThat(a.evaluation().of("deploy lock").reason()).contains("is being deployed by promotion " + first.id())
                .endsWith("integration refuses a second deployment instead of queueing, try again when it is done");
    }

    @Test
    void anOlderArtifactNeverReplacesANewerOneButAnExplicitRollbackGoesBack() {
        Promotion older = request("integration", "1.0.0", A, "integration", "ci");
        deploy("integration", "1.1.0", B, "integration");
        Attempt late = engine.begin(older.id(), true, "ci");
        assertThat(late.outcome()).isEqualTo(Attempt.Outcome.REFUSED);
        assertThat(late.evaluation().of("newer artifact").reason()).isEqualTo("integration already runs app 1.1.0 (sha256:bbbbbbbbbbbb), "
                + "which is newer than 1.0.0; an older artifact replaces a newer one only by an explicit rollback");

        // asking again changes nothing: A entered the line before B, whatever order the builds finish in
        Promotion again = request("integration", "1.0.0", A, "integration", "ci");
        assertThat(engine.begin(again.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.REFUSED);
        assertThat(engine.current("integration")).singleElement().extracting(d -> d.artifact().version()).isEqualTo("1.1.0");
    }

    @Test
    void rollbackRePromotesThePreviousGoodDigestAndIsRecordedAsARollback() {
        Promotion good = deploy("integration", "1.0.0", A, "integration");
        Promotion bad = deploy("integration", "1.1.0", B, "integration");
        assertThatThrownBy(() -> engine.rollback("staging", "app", Actor.user("ops"), "bad", null, null))
                .hasMessage("rollback: staging runs no app; nothing to roll back");

        Promotion rb = engine.rollback("integration", "app", Actor.user("ops"), "1.1.0 breaks checkout", "team/app/rollback", null);
        assertThat(rb.rollback()).isTrue();
        assertThat(rb.artifact()).isEqualTo(good.artifact());
        Attempt a = engine.begin(rb.id(), true, "ops");
        assertThat(a.outcome()).isEqualTo(Attempt.Outcome.STARTED);
        engine.finish(rb.id(), true, "ops", null);

        assertThat(engine.current("integration")).singleElement().satisfies(d -> {
            assertThat(d.artifact().digest().value()).isEqualTo(A);
            assertThat(d.rollback()).isTrue();
        });
        assertThat(engine.promotion(bad.id()).status()).isEqualTo(PromotionStatus.ROLLED_BACK);
        assertThat(engine.entries(rb.id()).get(0).kind()).isEqualTo(LedgerKind.ROLLED_BACK);
        assertThat(engine.entries(rb.id()).get(0).comment()).isEqualTo("rolled back from app 1.1.0 (sha256:bbbbbbbbbbbb)");

        // the rolled-back digest goes no further
        Promotion onward = request("staging", "1.1.0", B, "main", "ci");
        assertThat(engine.evaluate(onward.id()).of("previous environment").reason())
                .isEqualTo("sha256:bbbbbbbbbbbb did not succeed in integration (promotion " + bad.id() + " rolled_back); fix it there first");
    }

    @Test
    void queriesAnswerWhatRunsWhereHistoryAndTheDiff() {
        deploy("integration", "1.0.0", A, "integration");
        deploy("staging", "1.0.0", A, "main");
        Promotion failed = request("integration", "1.1.0", B, "integration", "ci");
        engine.begin(failed.id(), false, "ci");
        engine.finish(failed.id(), false, "ci", "smoke test failed");
        deploy("integration", "1.2.0", C, "integration");
        deploy("staging", "1.2.0", C, "main");

        Map<String, List<Deployment>> now = engine.current();
        assertThat(now.keySet()).containsExactly("integration", "staging", "prod");
        assertThat(now.get("integration")).extracting(d -> d.artifact().version()).containsExactly("1.2.0");
        assertThat(now.get("prod")).isEmpty();

        List<LedgerEntry> history = engine.history("integration", 0, 100);
        assertThat(history).extracting(e -> e.kind() + " " + e.artifact().version()).containsExactly(
                "DEPLOYED 1.2.0", "STARTED 1.2.0", "REQUESTED 1.2.0",
                "FAILED 1.1.0", "STARTED 1.1.0", "REQUESTED 1.1.0",
                "DEPLOYED 1.0.0", "STARTED 1.0.0", "REQUESTED 1.0.0");
        assertThat(history.get(3).comment()).isEqualTo("smoke test failed");
        assertThat(engine.history("integration", history.get(2).id(), 2)).extracting(LedgerEntry::kind)
                .containsExactly(LedgerKind.FAILED, LedgerKind.STARTED);
        assertThat(engine.artifactHistory("app", 0, 3)).hasSize(3);

        EnvironmentDiff diff = engine.diff("staging", "prod");
        assertThat(diff.rows()).singleElement().satisfies(r -> {
            assertThat(r.inFrom().orElseThrow().artifact().version()).isEqualTo("1.2.0");
            assertThat(r.inTo()).isEmpty();
            assertThat(r.same()).isFalse();
        });
        assertThat(diff.notYetIn()).extracting(p -> p.artifact().version()).containsExactly("1.2.0", "1.0.0");
        assertThat(engine.diff("integration", "staging").notYetIn()).isEmpty();
        assertThatThrownBy(() -> engine.diff("staging", "qa")).hasMessageStartingWith("to: unknown environment 'qa'");
    }

    @Test
    void whatRunsWhereIncludesChangesMadeByAnotherController() {
        Store second = target.open("controller-b");
        extraStores.add(second);
        PromotionEngine other = new PromotionEngine(second, new AuditTrail(second, clock), clock, freezes);
        assertThat(engine.current().get("integration")).isEmpty();
        Promotion p = other.request(new PromotionRequest("integration", Artifact.of("app", "3.0.0", C), "integration", null, null, "ci"));
        other.begin(p.id(), false, "ci");
        other.finish(p.id(), true, "ci", null);
        assertThat(engine.current().get("integration")).extracting(d -> d.artifact().version()).containsExactly("3.0.0");
        assertThat(engine.promotion(p.id()).controllerId()).isEqualTo("controller-b");
    }

    @Test
    void onlyTheEnvironmentsPromotersMayPromoteThere() {
        engine.configure(EnvironmentOrder.of(List.of(Environment.first("integration"),
                Environment.after("integration", "prod", Duration.ZERO, ApprovalRule.NONE).withPromoters("alice", "release-managers"))), "admin");
        deploy("integration", "1.0.0", A, null);
        long before = count("release_line_promotion");
        assertThatThrownBy(() -> request("prod", "1.0.0", A, null, "mallory"))
                .hasMessage("promoter: mallory may not promote to prod; allowed: alice, release-managers "
                        + "(the user who started the build, or one of its groups)");
        assertThatThrownBy(() -> engine.rollback("prod", "app", Actor.user("mallory"), "back", null, null))
                .hasMessageStartingWith("promoter: mallory may not promote to prod");
        assertThat(count("release_line_promotion")).isEqualTo(before);
        assertThat(request("prod", "1.0.0", A, null, "alice").status()).isEqualTo(PromotionStatus.REQUESTED);
        Promotion byGroup = engine.request(new PromotionRequest("prod", Artifact.of("app", "1.0.0", A), null, null, null, "erin",
                Set.of("release-managers")));
        assertThat(byGroup.requestedBy()).isEqualTo("erin");
    }

    @Test
    void badInputIsRefusedWithNothingWritten() {
        long audits = audit.size();
        assertThatThrownBy(() -> request("qa", "1.0.0", A, "main", "ci"))
                .hasMessage("to: unknown environment 'qa'; the line has integration, staging, prod");
        assertThatThrownBy(() -> request("staging", "../1.0.0", A, "main", "ci"))
                .hasMessageStartingWith("version: '../1.0.0' contains path characters");
        assertThatThrownBy(() -> request("staging", "1.0.0", "sha256:" + "z".repeat(64), "main", "ci"))
                .hasMessageContaining("contains characters that are not hex digits");
        assertThatThrownBy(() -> engine.evaluate(424242)).hasMessage("promotion: no promotion 424242; it was never requested");
        assertThat(count("release_line_promotion")).isZero();
        assertThat(count("release_line_promotion_event")).isZero();
        assertThat(audit.size()).isEqualTo(audits);
    }

    @Test
    void theEnvironmentOrderIsStoredAndAudited() {
        EnvironmentOrder two = EnvironmentOrder.of(List.of(Environment.first("dev"), Environment.after("dev", "live",
                Duration.ofMinutes(30), ApprovalRule.NONE)));
        engine.configure(two, "admin");
        PromotionEngine other = new PromotionEngine(store, audit, clock, null);
        assertThat(other.environments()).isEqualTo(two);
        assertThat(audit.latest(AuditScope.of(AuditScope.Kind.CONFIG, "promotion")).orElseThrow().after()).contains("\"live\"");
        long before = audit.size();
        engine.configure(two, "admin");
        assertThat(audit.size()).as("an unchanged order records nothing").isEqualTo(before);
    }

    @Test
    void aWaitingPromotionContinuesOnANewEngineAfterARestart() {
        deploy("integration", "1.0.0", A, "integration");
        deploy("staging", "1.0.0", A, "main");
        Promotion p = request("prod", "1.0.0", A, "release/1.0", "carol");
        engine.approve(p.id(), Actor.user("alice"), null);
        engine.approve(p.id(), Actor.user("bob"), null);
        assertThat(engine.begin(p.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.WAITING);
        store.close();

        store = target.open("controller-a");
        audit = new AuditTrail(store, clock);
        engine = new PromotionEngine(store, audit, clock, freezes);
        clock.advance(Duration.ofHours(1));
        assertThat(engine.begin(p.id(), true, "ci").outcome()).isEqualTo(Attempt.Outcome.STARTED);
    }

    @Test
    void buildsRacingForOneLockedEnvironmentNeverBothStart() throws Exception {
        racingBuilds(LockPolicy.WAIT);
    }

    @Test
    void buildsRacingForAnEnvironmentThatRefusesAreRefusedWholly() throws Exception {
        racingBuilds(LockPolicy.REFUSE);
    }

    private void racingBuilds(LockPolicy policy) throws Exception {
        engine.configure(line(policy), "admin");
        Store second = target.open("controller-b");
        extraStores.add(second);
        PromotionEngine other = new PromotionEngine(second, new AuditTrail(second, clock), clock, freezes);
        int builds = 6;
        List<Promotion> promotions = new ArrayList<>();
        for (int i = 0; i < builds; i++) {
            promotions.add(request("integration", "1.0." + i, "sha256:" + String.format("%064x", i + 1), "integration", "ci"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(builds);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Attempt>> results = new ArrayList<>();
            for (int i = 0; i < builds; i++) {
                PromotionEngine e = i % 2 == 0 ? engine : other;
                long id = promotions.get(i).id();
                results.add(pool.submit((Callable<Attempt>) () -> {
                    go.await();
                    return e.begin(id, true, "ci");
                }));
            }
            go.countDown();
            List<Attempt> attempts = new ArrayList<>();
            for (Future<Attempt> f : results) {
                attempts.add(f.get(120, TimeUnit.SECONDS));
            }
            assertThat(attempts).filteredOn(a -> a.outcome() == Attempt.Outcome.STARTED).hasSize(1);
            Attempt.Outcome loser = policy == LockPolicy.WAIT ? Attempt.Outcome.WAITING : Attempt.Outcome.REFUSED;
            assertThat(attempts).filteredOn(a -> a.outcome() != Attempt.Outcome.STARTED)
                    .hasSize(builds - 1).allSatisfy(a -> assertThat(a.outcome()).isEqualTo(loser));
            long winner = attempts.stream().filter(a -> a.outcome() == Attempt.Outcome.STARTED).findFirst().orElseThrow().promotion().id();
            assertThat(engine.locks()).extracting(LockHolder::promotionId).containsExactly(winner);
            long started = store.read(c -> {
                try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM release_line_promotion_event WHERE kind = 'STARTED'");
                     ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(started).isEqualTo(1);
            assertThat(count("release_line_deploy_queue")).isEqualTo(policy == LockPolicy.WAIT ? builds - 1 : 0);
            assertThat(audit.verify().intact()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
