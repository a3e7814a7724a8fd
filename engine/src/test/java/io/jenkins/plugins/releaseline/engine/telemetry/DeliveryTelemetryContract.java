package io.jenkins.plugins.releaseline.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.andon.AndonPermissions;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DORA figures over known ledgers, computed by hand, on each database the store supports. */
abstract class DeliveryTelemetryContract {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    StoreTarget target;
    Store store;
    TestClock clock;
    AuditTrail audit;
    PromotionEngine promotions;
    FreezeBoard board;
    DeliveryTelemetry telemetry;
    int version;

    abstract StoreTarget newTarget() throws Exception;

    @BeforeEach
    void open() throws Exception {
        target = newTarget();
        store = target.open("controller-a");
        clock = new TestClock(T0);
        audit = new AuditTrail(store, clock);
        promotions = new PromotionEngine(store, audit, clock, (env, job, who) -> FreezeCheck.Answer.clear());
        promotions.configure(EnvironmentOrder.of(List.of(Environment.first("staging"),
                Environment.after("staging", "prod", Duration.ZERO, null))), "admin");
        board = new FreezeBoard(store, audit, clock, AndonPermissions.overrideOnlyBy(Set.of("oncall")));
        telemetry = new DeliveryTelemetry(store, audit, clock);
    }

    @AfterEach
    void close() {
        board.close();
        store.close();
    }

    static String digest(char c) {
        return "sha256:" + String.valueOf(c).repeat(64);
    }

    static String hex(int n) {
        return "sha256:" + String.format("%064x", n);
    }

    /** Requests and starts now, finishes after {@code takes}, deployed or failed. */
    Promotion deploy(String env, char digest, Duration takes, boolean succeeds) {
        return deploy(env, digest(digest), takes, succeeds);
    }

    Promotion deploy(String env, String digest, Duration takes, boolean succeeds) {
        Promotion p = promotions.request(new PromotionRequest(env, Artifact.of("app", "1." + (version++), digest), null,
                "team/app", null, "ci"));
        Attempt a = promotions.begin(p.id(), false, "ci");
        assertThat(a.outcome()).as(a.evaluation().verdicts().toString()).isEqualTo(Attempt.Outcome.STARTED);
        clock.advance(takes);
        return promotions.finish(p.id(), succeeds, "ci", null);
    }

    /** Rolls {@code env} back: asked now, deployed after {@code takes}. */
    Promotion rollback(String env, Duration takes) {
        Promotion p = promotions.rollback(env, "app", Actor.user("oncall"), "errors went up", null, null);
        promotions.begin(p.id(), false, "oncall");
        clock.advance(takes);
        return promotions.finish(p.id(), true, "oncall", null);
    }

    void at(Duration sinceT0) {
        clock.set(T0.plus(sinceT0));
    }

    static Duration h(long hours, long minutes) {
        return Duration.ofHours(hours).plusMinutes(minutes);
    }

    void commit(char digest, Duration sinceT0, boolean hotfix) {
        telemetry.recordChange("ci", "app", digest(digest), "c0ffee" + digest, T0.plus(sinceT0), hotfix);
    }

    /**
     * The ledger of a week in prod, by hand (T = 2026-03-02 09:00 UTC, failure window 24 h):
     * A deployed T+0:10 (commit T-2h: lead 2h10); B failed T+24:05, B deployed T+25:10 (commit T+22h: lead 3h10;
     * restores the failure after 65 min); rollback asked T+26:10, done T+26:30 (B becomes a failed change; 20 min);
     * D deployed T+48:10 (commit T+46h: 2h10); hotfix E deployed T+50:10 (commit T+49:30: 40 min; D becomes a failed
     * change; incident from D's deploy to E: 2 h); F deployed T+72:10 (commit T+70h: 2h10), its verification failed
     * T+72:40; G (digest 0, no commit recorded) deployed T+74:10, restoring F after 1h30; prod frozen T+80:00 to T+80:45.
     */
    void weekInProd() {
        clock.set(T0.minus(Duration.ofHours(2)));
        commit('a', h(-2, 0), false);
        deploy("staging", 'a', Duration.ofMinutes(1), true);
        at(Duration.ZERO);
        deploy("prod", 'a', Duration.ofMinutes(10), true);
        at(h(22, 0));
        commit('b', h(22, 0), false);
        deploy("staging", 'b', Duration.ofMinutes(1), true);
        at(h(24, 0));
        deploy("prod", 'b', Duration.ofMinutes(5), false);
        at(h(25, 0));
        deploy("prod", 'b', Duration.ofMinutes(10), true);
        at(h(26, 10));
        rollback("prod", Duration.ofMinutes(20));
        at(h(46, 0));
        commit('d', h(46, 0), false);
        deploy("staging", 'd', Duration.ofMinutes(1), true);
        at(h(48, 0));
        deploy("prod", 'd', Duration.ofMinutes(10), true);
        at(h(49, 30));
        commit('e', h(49, 30), true);
        deploy("staging", 'e', Duration.ofMinutes(1), true);
        at(h(50, 0));
        deploy("prod", 'e', Duration.ofMinutes(10), true);
        at(h(70, 0));
        commit('f', h(70, 0), false);
        deploy("staging", 'f', Duration.ofMinutes(1), true);
        at(h(72, 0));
        Promotion f = deploy("prod", 'f', Duration.ofMinutes(10), true);
        at(h(72, 40));
        telemetry.recordFailedVerification("monitor", f.id(), "smoke tests: 5xx on /checkout");
        at(h(73, 0));
        deploy("staging", '0', Duration.ofMinutes(1), true);
        at(h(74, 0));
        deploy("prod", '0', Duration.ofMinutes(10), true);
        at(h(80, 0));
        Freeze freeze = board.pull("dave", PullRequest.of(FreezeScope.environment("prod"), "payments incident"));
        at(h(80, 45));
        board.release("dave", freeze.id(), "fixed");
        at(h(100, 0));
    }

    @Test
    void aKnownWeekInProdGivesTheHandComputedFigures() {
        weekInProd();

        DoraFigures prod = telemetry.figures("prod", null, T0, T0.plus(Duration.ofDays(7)));

        assertThat(prod.deployments()).isEqualTo(6);
        assertThat(prod.deploymentsPerDay()).isEqualTo(6 / 7.0);
        assertThat(prod.deploymentFrequencyBand()).isEqualTo(DoraBand.HIGH);
        assertThat(prod.leadTimeSamples()).isEqualTo(5);
        assertThat(prod.leadTimeMedian()).isEqualTo(h(2, 10));
        assertThat(prod.leadTimeBand()).isEqualTo(DoraBand.ELITE);
        assertThat(prod.changes()).isEqualTo(7);
        assertThat(prod.failedChanges()).isEqualTo(4);
        assertThat(prod.changeFailureRate()).isEqualTo(4 / 7.0);
        assertThat(prod.changeFailureRateBand()).isEqualTo(DoraBand.LOW);
        assertThat(prod.restored()).isEqualTo(5);
        assertThat(prod.unrestored()).isZero();
        assertThat(prod.timeToRestoreMedian()).isEqualTo(Duration.ofMinutes(65));
        assertThat(prod.timeToRestoreBand()).isEqualTo(DoraBand.HIGH);

        // per artifact: the same ledger without the Andon pull (it froze the environment, not the artifact)
        DoraFigures app = telemetry.figures("prod", "app", T0, T0.plus(Duration.ofDays(7)));
        assertThat(app.deployments()).isEqualTo(6);
        assertThat(app.restored()).isEqualTo(4);
        assertThat(app.timeToRestoreMedian()).isEqualTo(Duration.ofSeconds((65 + 90) * 60 / 2));
        DoraFigures other = telemetry.figures("prod", "billing", T0, T0.plus(Duration.ofDays(7)));
        assertThat(other.deployments()).isZero();
        assertThat(other.changes()).isZero();
        assertThat(other.deploymentFrequencyBand()).isEqualTo(DoraBand.NONE);

        DoraFigures staging = telemetry.figures("staging", null, T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(7)));
        // staging: six deployments; hotfix E (T+49:31) went green 3h30 after D (T+46:01) there too, so D failed there
        assertThat(staging.deployments()).isEqualTo(6);
        assertThat(staging.failedChanges()).isEqualTo(1);
        assertThat(staging.changeFailureRate()).isEqualTo(1 / 6.0);
        assertThat(staging.changeFailureRateBand()).isEqualTo(DoraBand.LOW);
        assertThat(staging.timeToRestoreMedian()).isEqualTo(h(3, 30));
        assertThat(staging.timeToRestoreBand()).isEqualTo(DoraBand.HIGH);
        assertThat(telemetry.environments()).containsExactly("prod", "staging");
    }

    @Test
    void theFirstDayHoldsOnlyTheFirstDeploymentAndTheWindowIsHalfOpen() {
        weekInProd();
        DoraFigures day = telemetry.figures("prod", null, T0, T0.plus(Duration.ofDays(1)));
        assertThat(day.deployments()).isEqualTo(1);
        assertThat(day.leadTimeMedian()).isEqualTo(h(2, 10));
        assertThat(day.changeFailureRate()).isZero();
        assertThat(day.deploymentFrequencyBand()).isEqualTo(DoraBand.ELITE);
        // A went green at T+0:10 exactly: a window ending there leaves it out, one starting there takes it in
        assertThat(telemetry.figures("prod", null, T0, T0.plus(Duration.ofMinutes(10))).deployments()).isZero();
        assertThat(telemetry.figures("prod", null, T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(11))).deployments())
                .isEqualTo(1);
    }

    @Test
    void anEmptyWindowHasNoFiguresAndNoBands() {
        weekInProd();
        for (DoraFigures empty : List.of(telemetry.figures("prod", null, T0.plus(Duration.ofDays(10)), T0.plus(Duration.ofDays(17))),
                telemetry.figures("qa", null, T0, T0.plus(Duration.ofDays(7))),
                telemetry.figures("prod", null, T0, T0))) {
            assertThat(empty.deployments()).isZero();
            assertThat(empty.deploymentsPerDay()).isZero();
            assertThat(empty.leadTimeMedian()).isNull();
            assertThat(empty.changeFailureRate()).isNull();
            assertThat(empty.timeToRestoreMedian()).isNull();
            assertThat(List.of(empty.deploymentFrequencyBand(), empty.leadTimeBand(), empty.changeFailureRateBand(),
                    empty.timeToRestoreBand())).containsOnly(DoraBand.NONE);
        }
    }

    @Test
    void aSingleDeployment() {
        commit('a', Duration.ofHours(-3), false);
        deploy("staging", 'a', Duration.ofMinutes(4), true);
        DoraFigures f = telemetry.figures("staging", Duration.ofDays(1));
        assertThat(f.deployments()).isEqualTo(1);
        assertThat(f.deploymentsPerDay()).isEqualTo(1.0);
        assertThat(f.deploymentFrequencyBand()).isEqualTo(DoraBand.ELITE);
        assertThat(f.leadTimeMedian()).isEqualTo(h(3, 4));
        assertThat(f.leadTimeBand()).isEqualTo(DoraBand.ELITE);
        assertThat(f.changes()).isEqualTo(1);
        assertThat(f.changeFailureRate()).isZero();
        assertThat(f.timeToRestoreMedian()).isNull();
        assertThat(f.timeToRestoreBand()).isEqualTo(DoraBand.NONE);
        assertThat(telemetry.outliers("staging", T0, T0.plus(Duration.ofDays(1)))).isEmpty();
    }

    @Test
    void trendDaysFollowTheTimeZoneAcrossDaylightSavingTime() {
        // 2026-03-22 23:30 UTC is already Monday 23 March 00:30 in Berlin; Berlin moves to summer time on 29 March
        clock.set(Instant.parse("2026-03-22T23:26:00Z"));
        deploy("staging", 'a', Duration.ofMinutes(4), true);
        clock.set(Instant.parse("2026-03-29T21:30:00Z"));
        List<DoraTrendPoint> utc = telemetry.trend("staging", 2, ZoneId.of("UTC"));
        assertThat(utc).extracting(DoraTrendPoint::day).containsExactly(LocalDate.parse("2026-03-28"), LocalDate.parse("2026-03-29"));
        assertThat(utc).extracting(DoraTrendPoint::deployments).containsExactly(1L, 0L);
        List<DoraTrendPoint> berlin = telemetry.trend("staging", 2, ZoneId.of("Europe/Berlin"));
        assertThat(berlin).extracting(DoraTrendPoint::day).containsExactly(LocalDate.parse("2026-03-28"), LocalDate.parse("2026-03-29"));
        assertThat(berlin).extracting(DoraTrendPoint::deployments).containsExactly(1L, 1L);
        // after 22:00 UTC it is 30 March in Berlin (summer time, UTC+2) and the deployment has left the seven days
        clock.set(Instant.parse("2026-03-29T22:00:00Z"));
        assertThat(telemetry.trend("staging", 1, ZoneId.of("Europe/Berlin"))).singleElement()
                .satisfies(p -> {
                    assertThat(p.day()).isEqualTo(LocalDate.parse("2026-03-30"));
                    assertThat(p.deployments()).isZero();
                    assertThat(p.leadTimeHours()).isNull();
                });
        assertThat(telemetry.trend("staging", 90, ZoneId.of("UTC"))).hasSize(90);
    }

    @Test
    void aSlowDeploymentAndARetriedDigestAreOutliers() {
        List<Promotion> ok = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ok.add(deploy("staging", hex(i), Duration.ofMinutes(i % 2 == 0 ? 9 : 11), true));
        }
        Promotion slow = deploy("staging", hex(100), Duration.ofMinutes(60), true);
        deploy("staging", hex(101), Duration.ofMinutes(10), false);
        deploy("staging", hex(101), Duration.ofMinutes(10), false);
        Promotion retried = deploy("staging", hex(101), Duration.ofMinutes(10), true);
        List<DeploymentOutlier> outliers = telemetry.outliers("staging", T0, clock.instant().plusSeconds(1));
        assertThat(outliers).extracting(DeploymentOutlier::promotionId, DeploymentOutlier::measure)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(slow.id(), "duration"),
                        org.assertj.core.groups.Tuple.tuple(retried.id(), "failures"));
        DeploymentOutlier d = outliers.get(0);
        assertThat(d.value()).isEqualTo(3600.0);
        assertThat(d.mean()).isEqualTo(600.0);
        assertThat(d.samples()).isEqualTo(20);
        assertThat(d.deviations()).isGreaterThan(3);
        assertThat(outliers.get(1).value()).isEqualTo(2.0);
        assertThat(outliers.get(1).mean()).isEqualTo(0.0);
    }

    @Test
    void incrementalFiguresEqualAFreshComputationAfterEveryStep() {
        Random random = new Random(20261125L);
        int next = 0;
        for (int step = 0; step < 30; step++) {
            clock.advance(Duration.ofMinutes(1 + random.nextInt(600)));
            int op = random.nextInt(10);
            if (op < 6 || step < 3) {
                String d = hex(++next);
                if (random.nextBoolean()) {
                    telemetry.recordChange("ci", "app", d, null, clock.instant().minus(Duration.ofMinutes(random.nextInt(2000))),
                            random.nextInt(5) == 0);
                }
                deploy("staging", d, Duration.ofMinutes(1 + random.nextInt(30)), random.nextInt(4) != 0);
            } else if (op < 8) {
                try {
                    rollback("staging", Duration.ofMinutes(1 + random.nextInt(30)));
                } catch (IllegalArgumentException nothingToRollBackTo) {
                    // the ledger refused: nothing earlier is good; the figures must not change
                }
            } else {
                Freeze f = board.pull("dave", PullRequest.of(random.nextBoolean() ? FreezeScope.EVERYTHING
                        : FreezeScope.environment("staging"), "step " + step));
                clock.advance(Duration.ofMinutes(1 + random.nextInt(120)));
                board.release("dave", f.id(), null);
            }
            Instant to = clock.instant().plusSeconds(1);
            DoraFigures incremental = telemetry.figures("staging", null, T0, to);
            DoraFigures fresh = new DeliveryTelemetry(store, audit, clock).figures("staging", null, T0, to);
            assertThat(incremental).as("step %d", step).isEqualTo(fresh);
        }
        assertThat(telemetry.figures("staging", null, T0, clock.instant().plusSeconds(1)).changes()).isGreaterThan(10);
        assertThat(telemetry.refresh()).isZero();
        long mark = telemetry.highWaterMark();
        deploy("staging", hex(999), Duration.ofMinutes(3), true);
        assertThat(telemetry.refresh()).isEqualTo(3);
        assertThat(telemetry.highWaterMark()).isEqualTo(mark + 3);
    }

    @Test
    void badInputIsRefusedWithTheFieldAndNothingIsRecorded() {
        assertThatThrownBy(() -> telemetry.recordChange("ci", "app", "md5:zz", "abc", T0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("digest");
        assertThatThrownBy(() -> telemetry.recordChange("ci", "app", digest('a'), "abc", T0.plus(Duration.ofHours(2)), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("committedAt: 2026-03-02T11:00:00Z is in the future");
        assertThatThrownBy(() -> telemetry.recordChange("ci", "app", digest('a'), "abc", null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("committedAt");
        assertThatThrownBy(() -> telemetry.recordChange("ci", "app/x", digest('a'), "abc", T0, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("artifact");
        long before = audit.size();
        telemetry.recordChange("ci", "app", digest('a'), "abc", T0.minusSeconds(60), false);
        telemetry.recordChange("ci", "app", digest('a'), "abc", T0.minusSeconds(60), false);
        assertThat(audit.size()).isEqualTo(before + 1);
        assertThatThrownBy(() -> telemetry.recordChange("ci", "app", digest('a'), "def", T0.minusSeconds(60), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was already recorded as commit abc at 2026-03-02T08:59:00Z");
        assertThatThrownBy(() -> telemetry.recordFailedVerification("monitor", 999, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("promotion: there is no promotion 999");
        Promotion failed = deploy("staging", 'a', Duration.ofMinutes(1), false);
        long afterDeploy = audit.size();
        assertThatThrownBy(() -> telemetry.recordFailedVerification("monitor", failed.id(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is failed; only a deployment that went through");
        assertThatThrownBy(() -> telemetry.figures("staging", null, T0, T0.minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("to: ");
        assertThatThrownBy(() -> telemetry.trend("staging", 0, ZoneId.of("UTC")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("days: 0");
        assertThat(audit.size()).isEqualTo(afterDeploy);
    }
}
