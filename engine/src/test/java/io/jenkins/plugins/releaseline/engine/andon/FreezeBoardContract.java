package io.jenkins.plugins.releaseline.engine.andon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.ChangeSignals;
import io.jenkins.plugins.releaseline.engine.store.ChangeWatcher;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The freeze board's behaviour, run against each database the store supports. */
abstract class FreezeBoardContract {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final AndonPermissions OVERRIDE_BY_ONCALL = AndonPermissions.overrideOnlyBy(Set.of("oncall-lead"));

    StoreTarget target;
    Store store;
    TestClock clock;
    AuditTrail audit;
    FreezeBoard board;
    final List<AutoCloseable> closing = new ArrayList<>();

    abstract StoreTarget newTarget() throws Exception;

    @BeforeEach
    void open() throws Exception {
        target = newTarget();
        store = target.open("controller-a");
        clock = new TestClock(T0);
        audit = new AuditTrail(store, clock);
        board = new FreezeBoard(store, audit, clock, OVERRIDE_BY_ONCALL);
        closing.add(board);
        closing.add(store);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    static final WorkScope PROD_DEPLOY = WorkScope.deployment("team-a/payments/main", "prod", "team-a/payments/main#7");

    @Test
    void pullingTheCordBlocksDeploymentsAndReleasingItLetsThemThrough() {
        assertThat(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT)).isSameAs(Decision.ALLOWED);

        Freeze f = board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "Payments down, INC-42")
                .withLink("https://status.example.com/INC-42"));

        Decision d = board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT);
        assertThat(d.blocked()).isTrue();
        assertThat(d.blockers()).singleElement().satisfies(b -> {
            assertThat(b.key()).isEqualTo("freeze-" + f.id());
            assertThat(b.reason()).isEqualTo("Payments down, INC-42");
            assertThat(b.pulledBy()).isEqualTo("alice");
            assertThat(b.link()).isEqualTo("https://status.example.com/INC-42");
        });
        assertThat(d.message()).contains("pulled by alice").contains("Payments down, INC-42");
        assertThat(board.check(PROD_DEPLOY, WorkKind.PROMOTION).blocked()).isTrue();
        assertThat(board.check(PROD_DEPLOY, WorkKind.BUILD).allowed()).as("deployments-only freeze lets builds run").isTrue();
        assertThat(board.isLineStopped()).isTrue();

        Freeze released = board.release("bob", f.id(), "Payments back, INC-42 mitigated");
        assertThat(released.releasedBy()).isEqualTo("bob");
        assertThat(released.releaseNote()).isEqualTo("Payments back, INC-42 mitigated");
        assertThat(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT)).isSameAs(Decision.ALLOWED);
        assertThat(board.isLineStopped()).isFalse();
        assertThat(board.history(10)).singleElement().satisfies(h -> assertThat(h.statusAt(clock.instant())).isEqualTo(Freeze.Status.RELEASED));
    }

    @Test
    void scopesMatchAFolderAndWhatIsBelowItAnEnvironmentOrBoth() {
        board.pull("alice", PullRequest.of(FreezeScope.job("team-a/pay"), "folder freeze"));
        board.pull("alice", PullRequest.of(FreezeScope.environment("staging"), "staging broken"));
        board.pull("alice", PullRequest.of(FreezeScope.parse("job:team-b,environment:prod"), "team b prod only"));

        assertThat(board.check(WorkScope.deployment("team-a/pay", "dev", null), WorkKind.DEPLOYMENT).blocked()).isTrue();
        assertThat(board.check(WorkScope.deployment("team-a/pay/main", "dev", null), WorkKind.DEPLOYMENT).blocked()).isTrue();
        assertThat(board.check(WorkScope.deployment("team-a/payments/main", "dev", null), WorkKind.DEPLOYMENT).allowed())
                .as("a name that merely starts with the same letters is another folder").isTrue();
        assertThat(board.check(WorkScope.deployment("team-c/x", "staging", null), WorkKind.DEPLOYMENT).message()).contains("staging broken");
        assertThat(board.check(WorkScope.deployment("team-b/x", "prod", null), WorkKind.DEPLOYMENT).message()).contains("team b prod only");
        assertThat(board.check(WorkScope.deployment("team-b/x", "dev", null), WorkKind.DEPLOYMENT).allowed()).isTrue();
        assertThat(board.check(WorkScope.deployment("team-c/x", "prod", null), WorkKind.DEPLOYMENT).allowed()).isTrue();
    }

    @Test
    void allBuildsFreezeStopsPlainBuildsOfItsScope() {
        board.pull("alice", PullRequest.of(FreezeScope.job("team-a"), "repository migration").withStops(Stops.ALL_BUILDS));
        assertThat(board.check(WorkScope.job("team-a/app/main"), WorkKind.BUILD).blocked()).isTrue();
        assertThat(board.check(WorkScope.job("team-b/app/main"), WorkKind.BUILD).allowed()).isTrue();
    }

    @Test
    void severalFreezesAtOnceAreAllNamedAndReleasingOneLeavesTheOthers() {
        Freeze a = board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "database failover"));
        clock.advance(Duration.ofMinutes(1));
        Freeze b = board.pull("bob", PullRequest.of(FreezeScope.environment("prod"), "CDN incident"));

        Decision d = board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT);
        assertThat(d.blockers()).extracting(Blocker::reason).containsExactly("database failover", "CDN incident");

        board.release("carol", a.id(), "failover done");
        assertThat(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT).blockers()).extracting(Blocker::freezeId).containsExactly(b.id());
        assertThat(board.active()).extracting(Freeze::id).containsExactly(b.id());
    }

    @Test
    void everyChangeIsAuditedAndRaisesTheChangeSignal() {
        long signalBefore = store.read(ChangeSignals::read).getOrDefault(FreezeBoard.TOPIC, 0L);
        Freeze f = board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "incident").expiringAt(T0.plus(Duration.ofHours(1))));
        board.extend("alice", f.id(), T0.plus(Duration.ofHours(3)), "still investigating");
        board.override("oncall-lead", "freeze-" + f.id(), "security hotfix CVE-1", "team-a/payments/main#9");
        board.release("bob", f.id(), "done");

        List<AuditRecord> records = audit.recent(null, false, 10);
        assertThat(records).extracting(AuditRecord::action)
                .containsExactly("andon.release", "andon.override", "andon.extend", "andon.pull");
        assertThat(records).extracting(AuditRecord::principal).containsExactly("bob", "oncall-lead", "alice", "alice");
        assertThat(records.get(3).after()).contains("\"reason\":\"incident\"");
        assertThat(records.get(1).after()).contains("team-a/payments/main#9").contains("security hotfix CVE-1");
        assertThat(audit.verify().intact()).isTrue();
        assertThat(store.read(ChangeSignals::read).get(FreezeBoard.TOPIC)).isEqualTo(signalBefore + 4);
    }

    @Test
    void aFreezeWithAnExpiryLiftsByItselfAndCanBeExtended() {
        Freeze f = board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "maintenance").expiringAt(T0.plus(Duration.ofMinutes(30))));
        assertThat(board.nextChangeAt()).contains(T0.plus(Duration.ofMinutes(30)));
        clock.advance(Duration.ofMinutes(20));
        board.extend("alice", f.id(), T0.plus(Duration.ofMinutes(60)), "overrunning");
        clock.advance(Duration.ofMinutes(20));
        assertThat(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT).blocked()).isTrue();
        clock.advance(Duration.ofMinutes(20));
        assertThat(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT)).isSameAs(Decision.ALLOWED);
        assertThat(board.freeze(f.id()).orElseThrow().statusAt(clock.instant())).isEqualTo(Freeze.Status.EXPIRED);
        assertThatThrownBy(() -> board.release("bob", f.id(), null))
                .isInstanceOf(FreezeConflictException.class).hasMessageContaining("expired at");
    }

    @Test
    void badInputIsRefusedWithTheFieldAndNothingChanges() {
        long auditBefore = audit.size();
        assertThatThrownBy(() -> board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reason: must say why");
        assertThatThrownBy(() -> board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "   ")))
                .hasMessageStartingWith("reason: must say why");
        assertThatThrownBy(() -> board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "x".repeat(10_240))))
                .hasMessageStartingWith("reason: 10240 characters is over the limit of 2000");
        assertThatThrownBy(() -> board.pull("alice", PullRequest.of(FreezeScope.parse("cluster:eu-1"), "r")))
                .hasMessageStartingWith("scope: 'cluster:eu-1' is not understood");
        assertThatThrownBy(() -> board.pull("alice", PullRequest.of(null, "r"))).hasMessageStartingWith("scope:");
        assertThatThrownBy(() -> board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "r").expiringAt(T0.minusSeconds(1))))
                .hasMessageStartingWith("expiresAt: 2026-11-20T09:59:59Z is not in the future");
        assertThatThrownBy(() -> board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "r").withLink("javascript:alert(1)")))
                .hasMessageStartingWith("link: 'javascript:alert(1)' is not an http(s) address");
        assertThatThrownBy(() -> board.pull("", PullRequest.of(FreezeScope.EVERYTHING, "r"))).hasMessageStartingWith("principal:");
        assertThatThrownBy(() -> board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "bell\u0007")))
                .hasMessageStartingWith("reason: contains the control character U+0007");
        assertThatThrownBy(() -> board.override("oncall-lead", "freeze-x", "r", "b#1")).hasMessageStartingWith("freeze:");

        assertThat(board.active()).isEmpty();
        assertThat(board.history(10)).isEmpty();
        assertThat(audit.size()).isEqualTo(auditBefore);
    }

    @Test
    void markupInTheReasonIsStoredVerbatimAsText() {
        String reason = "<script>alert('x')</script> & <img src=x onerror=alert(1)>";
        Freeze f = board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, reason));
        assertThat(board.freeze(f.id()).orElseThrow().reason()).isEqualTo(reason);
        assertThat(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT).blockers().get(0).reason()).isEqualTo(reason);
        // the page's JSON carries it as a JSON string, which the page inserts with textContent
        assertThat(AndonJson.write(board.page(5))).contains("\"reason\":\"<script>alert('x')</script> & <img src=x onerror=alert(1)>\"");
    }

    @Test
    void releasingAnAlreadyReleasedFreezeSaysWhoReleasedItAndChangesNothing() {
        Freeze f = board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "incident"));
        board.release("bob", f.id(), "fixed");
        long auditBefore = audit.size();
        assertThatThrownBy(() -> board.release("carol", f.id(), "also fixed"))
                .isInstanceOf(FreezeConflictException.class)
                .hasMessage("freeze-" + f.id() + " was already released by bob at " + T0 + " (\"fixed\"); nothing to release, nothing changed");
        assertThatThrownBy(() -> board.release("carol", 999, null)).isInstanceOf(FreezeConflictException.class)
                .hasMessage("freeze-999 does not exist; nothing to release");
        assertThat(audit.size()).isEqualTo(auditBefore);
        assertThat(board.freeze(f.id()).orElseThrow().releasedBy()).isEqualTo("bob");
    }

    @Test
    void twoPeopleReleasingAtOnceOneWinsTheOtherIsToldWho() throws Exception {
        Store second = target.open("controller-b");
        closing.add(0, second);
        FreezeBoard other = new FreezeBoard(second, new AuditTrail(second, clock), clock, OVERRIDE_BY_ONCALL);
        closing.add(0, other);
        for (int round = 0; round < 5; round++) {
            Freeze f = board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "incident " + round));
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Callable<Object> bob = () -> { go.await(); return board.release("bob", f.id(), "bob fixed it"); };
                Callable<Object> carol = () -> { go.await(); return other.release("carol", f.id(), "carol fixed it"); };
                Future<Object> fb = pool.submit(bob);
                Future<Object> fc = pool.submit(carol);
                go.countDown();
                List<Object> outcomes = new ArrayList<>();
                for (Future<Object> fu : List.of(fb, fc)) {
                    try {
                        outcomes.add(fu.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        outcomes.add(e.getCause());
                    }
                }
                assertThat(outcomes).filteredOn(o -> o instanceof Freeze).hasSize(1);
                Freeze won = (Freeze) outcomes.stream().filter(o -> o instanceof Freeze).findFirst().orElseThrow();
                assertThat(outcomes).filteredOn(o -> o instanceof FreezeConflictException).singleElement()
                        .satisfies(e -> assertThat(((Exception) e).getMessage())
                                .contains("was already released by " + won.releasedBy()));
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(audit.recent(null, false, 100)).filteredOn(r -> r.action().equals("andon.release")).hasSize(5);
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void onlyPermittedPrincipalsChangeTheBoard() {
        AndonPermissions onlyAlice = (p, a) -> p.equals("alice");
        FreezeBoard guarded = new FreezeBoard(store, audit, clock, onlyAlice);
        closing.add(0, guarded);
        assertThatThrownBy(() -> guarded.pull("mallory", PullRequest.of(FreezeScope.EVERYTHING, "prank")))
                .isInstanceOf(NotPermittedException.class).hasMessage("mallory may not pull on the Andon board; ask an administrator for the Andon Pull permission");
        Freeze f = guarded.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "incident"));
        assertThatThrownBy(() -> guarded.release("mallory", f.id(), null)).isInstanceOf(NotPermittedException.class);
        assertThatThrownBy(() -> board.override("alice", "freeze-" + f.id(), "I want to", "x#1"))
                .isInstanceOf(NotPermittedException.class).hasMessageContaining("Andon Override permission");
        assertThat(guarded.active()).extracting(Freeze::releasedBy).containsExactly((String) null);
    }

    @Test
    void aBrokenLinePullsAFreezeAndItsNextSuccessReleasesIt() {
        board.configure("admin", new AndonConfig(List.of(
                new LineJob("team-a/payments/main", FreezeScope.job("team-a"), Stops.DEPLOYMENTS, ReleasePolicy.AUTO_RELEASE)), List.of()));

        Freeze f = board.lineFailed("team-a/payments/main", "team-a/payments/main#41", "/job/team-a/job/payments/job/main/41/").orElseThrow();
        assertThat(f.origin()).isEqualTo(Origin.LINE);
        assertThat(f.reason()).isEqualTo("The line is broken: team-a/payments/main#41 failed");
        assertThat(board.lineFailed("team-a/payments/main", "team-a/payments/main#42", null)).as("one freeze per broken line").isEmpty();
        assertThat(board.lineFailed("team-a/other", "team-a/other#1", null)).as("not a line job").isEmpty();

        assertThat(board.check(WorkScope.deployment("team-a/web", "prod", "team-a/web#3"), WorkKind.DEPLOYMENT).message())
                .contains("team-a/payments/main#41 failed");
        assertThat(board.check(WorkScope.deployment("team-a/payments/main", "prod", "team-a/payments/main#43"), WorkKind.DEPLOYMENT).allowed())
                .as("the line's fixing build is never held back").isTrue();

        Freeze released = board.lineSucceeded("team-a/payments/main", "team-a/payments/main#43").orElseThrow();
        assertThat(released.releaseNote()).isEqualTo("The line is fixed: team-a/payments/main#43 succeeded");
        assertThat(board.isLineStopped()).isFalse();
        assertThat(audit.recent(null, false, 3)).extracting(AuditRecord::action)
                .containsExactly("andon.line.release", "andon.line.pull", "andon.configure");
        assertThat(audit.recent(null, false, 2)).extracting(AuditRecord::principal).containsOnly(FreezeBoard.LINE_PRINCIPAL);
    }

    @Test
    void aLineSetToStayPulledWaitsForAPerson() {
        board.configure("admin", new AndonConfig(List.of(
                new LineJob("core/main", FreezeScope.EVERYTHING, Stops.ALL_BUILDS, ReleasePolicy.STAY_PULLED)), List.of()));
        Freeze f = board.lineFailed("core/main", "core/main#5", null).orElseThrow();
        assertThat(board.lineSucceeded("core/main", "core/main#6")).isEmpty();
        assertThat(board.check(WorkScope.job("other/job"), WorkKind.BUILD).blocked()).isTrue();
        board.release("alice", f.id(), "checked the fix by hand");
        assertThat(board.check(WorkScope.job("other/job"), WorkKind.BUILD).allowed()).isTrue();
    }

    @Test
    void breakGlassLetsOneBuildThroughAndNoOther() {
        Freeze f = board.pull("alice", PullRequest.of(FreezeScope.environment("prod"), "incident"));
        BreakGlass o = board.override("oncall-lead", "freeze-" + f.id(), "hotfix for the incident", "team-a/payments/main#7");
        assertThat(o.freezeKey()).isEqualTo("freeze-" + f.id());
        assertThat(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT).allowed()).isTrue();
        assertThat(board.check(WorkScope.deployment("team-a/payments/main", "prod", "team-a/payments/main#8"), WorkKind.DEPLOYMENT).blocked()).isTrue();
        assertThatThrownBy(() -> board.override("oncall-lead", "freeze-" + f.id(), "", "x#1")).hasMessageStartingWith("reason:");
        assertThatThrownBy(() -> board.override("oncall-lead", "freeze-" + f.id(), "r", " ")).hasMessageStartingWith("build:");
    }

    @Test
    void theTimelineShowsPullBlockedWorkOverridesAndReleaseWithDurations() {
        Freeze f = board.pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "incident"));
        clock.advance(Duration.ofMinutes(2));
        Decision d = board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT);
        board.noteBlocked(d, "queue-item-1");
        board.noteBlocked(d, "queue-item-1");
        clock.advance(Duration.ofMinutes(3));
        board.noteBlocked(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT), "queue-item-2");
        clock.advance(Duration.ofMinutes(5));
        board.override("oncall-lead", String.valueOf(f.id()), "hotfix", "team-a/payments/main#7");
        clock.advance(Duration.ofMinutes(50));
        board.release("bob", f.id(), "all clear");

        Timeline t = board.timeline(f.id());
        assertThat(t.entries()).extracting(Timeline.Entry::kind).containsExactly(
                Timeline.Kind.PULLED, Timeline.Kind.BLOCKED, Timeline.Kind.OVERRIDE, Timeline.Kind.RELEASED);
        assertThat(t.blockedCount()).isEqualTo(2);
        assertThat(t.entries()).extracting(Timeline.Entry::sincePull).containsExactly(
                Duration.ZERO, Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofHours(1));
        assertThat(t.entries().get(2).build()).isEqualTo("team-a/payments/main#7");
        assertThat(t.entries().get(3).principal()).isEqualTo("bob");
        assertThat(t.duration()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anotherControllerSeesAPullAfterItsWatcherPolls() {
        Store second = target.open("controller-b");
        closing.add(0, second);
        FreezeBoard other = new FreezeBoard(second, new AuditTrail(second, clock), clock, OVERRIDE_BY_ONCALL);
        closing.add(0, other);
        ChangeWatcher watcher = new ChangeWatcher(second, Duration.ofHours(1));
        closing.add(0, watcher);
        other.watch(watcher);
        AtomicInteger refreshed = new AtomicInteger();
        other.addListener(refreshed::incrementAndGet);

        Freeze f = board.pull("alice", PullRequest.of(FreezeScope.environment("prod"), "incident on A"));
        assertThat(other.check(PROD_DEPLOY, WorkKind.DEPLOYMENT).allowed()).as("B has not polled yet").isTrue();
        watcher.poll();
        assertThat(other.check(PROD_DEPLOY, WorkKind.DEPLOYMENT).message()).contains("incident on A");
        assertThat(refreshed.get()).isPositive();

        board.release("alice", f.id(), null);
        watcher.poll();
        assertThat(other.check(PROD_DEPLOY, WorkKind.DEPLOYMENT)).isSameAs(Decision.ALLOWED);
    }

    @Test
    void overlappingWindowsAreEachReportedAndTheBoardKnowsWhenTheyEnd() {
        FreezeWindow holiday = FreezeWindow.oneOff("holiday", FreezeScope.EVERYTHING, Stops.DEPLOYMENTS, "Holiday freeze",
                T0.minus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)));
        FreezeWindow release = FreezeWindow.oneOff("release-week", FreezeScope.environment("prod"), Stops.DEPLOYMENTS, null,
                T0.minus(Duration.ofMinutes(30)), T0.plus(Duration.ofHours(1)));
        board.configure("admin", new AndonConfig(List.of(), List.of(holiday, release)));
        AtomicInteger refreshed = new AtomicInteger();
        board.addListener(refreshed::incrementAndGet);

        assertThat(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT).blockers()).extracting(Blocker::key)
                .containsExactly("window:holiday", "window:release-week");
        assertThat(board.nextChangeAt()).contains(T0.plus(Duration.ofHours(1)));

        clock.advance(Duration.ofMinutes(61));
        board.refreshIfDue();
        assertThat(refreshed.get()).as("a held deployment hears that a window closed").isEqualTo(1);
        assertThat(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT).blockers()).extracting(Blocker::key).containsExactly("window:holiday");
        clock.advance(Duration.ofHours(1));
        assertThat(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT)).isSameAs(Decision.ALLOWED);
        assertThat(board.nextChangeAt()).isEmpty();

        assertThatThrownBy(() -> new AndonConfig(List.of(), List.of(holiday, holiday)))
                .hasMessageStartingWith("windows: two windows are named 'holiday'");
    }

    @Test
    void anOpenWindowCanBeOverriddenForOneBuild() {
        board.configure("admin", new AndonConfig(List.of(), List.of(FreezeWindow.oneOff("holiday", FreezeScope.EVERYTHING,
                Stops.DEPLOYMENTS, null, T0.minusSeconds(60), T0.plus(Duration.ofDays(1))))));
        board.override("oncall-lead", "window:holiday", "payment provider certificate expires", "team-a/payments/main#7");
        assertThat(board.check(PROD_DEPLOY, WorkKind.DEPLOYMENT).allowed()).isTrue();
        assertThat(board.check(WorkScope.deployment("x", "prod", "x#1"), WorkKind.DEPLOYMENT).blocked()).isTrue();
        assertThatThrownBy(() -> board.override("oncall-lead", "window:nope", "r", "b#1")).hasMessageStartingWith("freeze: there is no window named 'nope'");
    }

    @Test
    void thePageDataHoldsStateActiveFreezesWindowsAndHistory() {
        board.configure("admin", new AndonConfig(List.of(), List.of(FreezeWindow.recurring("weekend", FreezeScope.environment("prod"),
                Stops.DEPLOYMENTS, null, "0 23 * * 5", "0 7 * * 1", "Europe/Berlin"))));
        assertThat(board.page(10).state()).isEqualTo("running");
        Freeze f = board.pull("alice", PullRequest.of(FreezeScope.job("team-a"), "incident"));
        AndonPage page = board.page(10);
        assertThat(page.state()).isEqualTo("stopped");
        assertThat(page.active()).singleElement().satisfies(a -> {
            assertThat(a.key()).isEqualTo("freeze-" + f.id());
            assertThat(a.scope()).isEqualTo("job:team-a");
            assertThat(a.releasable()).isTrue();
        });
        // 2026-11-20 is a Friday: the weekend window opens at 23:00 Berlin (22:00Z) and closes Monday 07:00 (06:00Z)
        assertThat(page.windows()).singleElement().satisfies(w -> {
            assertThat(w.open()).isFalse();
            assertThat(w.opensAt()).isEqualTo(Instant.parse("2026-11-20T22:00:00Z"));
            assertThat(w.closesAt()).isEqualTo(Instant.parse("2026-11-23T06:00:00Z"));
        });
        assertThat(page.history()).extracting(AndonPage.FreezeView::status).containsExactly("active");
        assertThat(page.scopes()).containsExactly("everything", "environment:prod");
        String json = AndonJson.write(page);
        assertThat(json).contains("\"state\":\"stopped\"").contains("\"pulledAt\":\"2026-11-20T10:00:00Z\"");
    }
}
