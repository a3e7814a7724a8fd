package io.jenkins.plugins.releaseline.engine.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.promotion.LedgerKind;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DORA figures over known ledgers, computed by hand, on each database the store supports. */
abstract class DeliveryTelemetryContract extends KnownLedger {

    @BeforeEach
    void openStore() throws Exception {
        open();
    }

    @AfterEach
    void closeStore() {
        close();
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
        // the instance under test stores its aggregates every 7 records, so a new instance starts from stored
        // aggregates that lag behind and folds the tail; another stores after every fold
        DeliveryTelemetry lagging = persisting(7);
        DeliveryTelemetry eager = persisting(1);
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
            if (random.nextInt(3) == 0) {
                // a record the build adds after the fact: a failed verification of the latest deployment
                latestDeployed("staging").ifPresent(id -> telemetry.recordFailedVerification("monitor", id, null));
            }
            Instant to = clock.instant().plusSeconds(1);
            DoraFigures incremental = telemetry.figures("staging", null, T0, to);
            DeliveryTelemetry full = fullFold();
            DoraFigures fresh = full.figures("staging", null, T0, to);
            assertThat(incremental).as("step %d", step).isEqualTo(fresh);
            // the same fold read ahead by a second thread in pages of 3 facts
            DeliveryTelemetry paged = fullFold().pageSize(3);
            assertThat(paged.figures("staging", null, T0, to)).as("step %d, read ahead", step).isEqualTo(fresh);
            assertThat(paged.outliers("staging", T0, to)).isEqualTo(full.outliers("staging", T0, to));
            assertThat(paged.ledgerCounts()).isEqualTo(full.ledgerCounts());
            assertThat(paged.highWaterMark()).isEqualTo(full.highWaterMark());
            assertThat(lagging.figures("staging", null, T0, to)).as("step %d, lagging", step).isEqualTo(fresh);
            assertThat(eager.figures("staging", null, T0, to)).as("step %d, eager", step).isEqualTo(fresh);
            for (int restart = 0; restart < 2; restart++) {
                // a controller start: a new instance over the same store, from the stored aggregates
                DeliveryTelemetry restarted = persisting(restart == 0 ? 7 : 1);
                assertThat(restarted.figures("staging", null, T0, to)).as("step %d, restarted", step).isEqualTo(fresh);
                assertThat(restarted.figures("staging", "app", T0, to)).as("step %d, app", step)
                        .isEqualTo(full.figures("staging", "app", T0, to));
                assertThat(restarted.outliers("staging", T0, to)).isEqualTo(full.outliers("staging", T0, to));
                assertThat(restarted.trend("staging", 30, ZoneId.of("Europe/Berlin")))
                        .isEqualTo(full.trend("staging", 30, ZoneId.of("Europe/Berlin")));
                assertThat(restarted.ledgerCounts()).isEqualTo(full.ledgerCounts());
                assertThat(restarted.highWaterMark()).isEqualTo(full.highWaterMark());
            }
        }
        assertThat(telemetry.figures("staging", null, T0, clock.instant().plusSeconds(1)).changes()).isGreaterThan(10);
        assertThat(telemetry.refresh()).isZero();
        long mark = telemetry.highWaterMark();
        deploy("staging", hex(999), Duration.ofMinutes(3), true);
        // three ledger records (requested, started, deployed), one fact: the outcome
        assertThat(telemetry.refresh()).isEqualTo(1);
        assertThat(telemetry.highWaterMark()).isEqualTo(mark + 1);
    }

    @Test
    void aControllerStartMidHistoryFoldsOnlyTheRecordsAfterTheStoredMarks() {
        weekInProd();
        Instant to = clock.instant();
        DeliveryTelemetry first = persisting(1);
        long all = first.refresh();
        // five recorded changes, fourteen outcomes (six in staging; eight in prod: six deployments, B's failure, the rollback)
        assertThat(all).isEqualTo(19);
        // the stored aggregates hold everything so far: a new instance folds nothing more
        DeliveryTelemetry second = persisting(1);
        assertThat(second.refresh()).isZero();
        assertThat(second.highWaterMark()).isEqualTo(first.highWaterMark());
        assertThat(second.figures("prod", null, T0, to)).isEqualTo(fullFold().figures("prod", null, T0, to));
        // more history, stored by nobody yet: the next start folds just that tail
        at(h(101, 0));
        commit('c', h(100, 30), false);
        deploy("staging", 'c', Duration.ofMinutes(1), true);
        deploy("prod", 'c', Duration.ofMinutes(4), true);
        deploy("staging", '1', Duration.ofMinutes(1), true);
        Promotion failed = deploy("prod", '1', Duration.ofMinutes(2), false);
        Instant later = clock.instant().plusSeconds(1);
        DeliveryTelemetry third = persisting(1);
        // the change of C, and four outcomes
        assertThat(third.refresh()).isEqualTo(5);
        DeliveryTelemetry full = fullFold();
        DoraFigures prod = third.figures("prod", null, T0, later);
        assertThat(prod).isEqualTo(full.figures("prod", null, T0, later));
        assertThat(prod.deployments()).isEqualTo(7);
        assertThat(prod.changes()).isEqualTo(9);
        assertThat(prod.failedChanges()).isEqualTo(5);
        assertThat(prod.unrestored()).isEqualTo(1);
        assertThat(third.figures("staging", null, T0, later)).isEqualTo(full.figures("staging", null, T0, later));
        assertThat(third.ledgerCounts()).isEqualTo(full.ledgerCounts());
        assertThat(third.outliers("prod", T0, later)).isEqualTo(full.outliers("prod", T0, later));
        // the week's six deployments and seven changes, plus C (green) and 1 (failed, not restored yet)
        // the first instance was not told: it folds the same tail itself and agrees
        assertThat(first.refresh()).isEqualTo(5);
        assertThat(first.figures("prod", null, T0, later)).isEqualTo(prod);
        assertThat(failed.id()).isPositive();
    }

    @Test
    void aRecordCommittedLateBehindAGapIsFoldedAfterARestart() throws Exception {
        weekInProd();
        // another transaction takes the next ledger id and commits only later
        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        long lateAt = EnvironmentHistory.micros(clock.instant());
        Thread late = new Thread(() -> store.inTransaction(c -> {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_promotion_event (promotion_id, environment, "
                    + "artifact, version, digest, kind, principal, at_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                ins.setLong(1, 100_000);
                ins.setString(2, "prod");
                ins.setString(3, "app");
                ins.setString(4, "9.9");
                ins.setString(5, digest('9'));
                ins.setString(6, "DEPLOYED");
                ins.setString(7, "ci");
                ins.setLong(8, lateAt);
                ins.executeUpdate();
                try (ResultSet keys = ins.getGeneratedKeys()) {
                    keys.next();
                    // what the ledger writes with every outcome: its fact, in the same transaction
                    TelemetryFacts.ledgerRecord(c, keys.getLong(1), 100_000, "prod", "app", digest('9'), LedgerKind.DEPLOYED, lateAt);
                }
            }
            taken.countDown();
            try {
                commit.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        late.start();
        assertThat(taken.await(60, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMinutes(1));
        deploy("staging", '2', Duration.ofMinutes(1), true);
        deploy("prod", '2', Duration.ofMinutes(3), true);
        Instant to = clock.instant().plusSeconds(1);
        DeliveryTelemetry waiting = new DeliveryTelemetry(store, audit, clock, DeliveryTelemetry.DEFAULT_FAILURE_WINDOW,
                TimeUnit.MINUTES.toNanos(10), 1);
        long before = waiting.figures("prod", null, T0, to).deployments();
        long markBeforeGap = waiting.highWaterMark();
        DeliveryTelemetry pagedWaiting = new DeliveryTelemetry(store, audit, clock, DeliveryTelemetry.DEFAULT_FAILURE_WINDOW,
                TimeUnit.MINUTES.toNanos(10), 0).pageSize(2);
        assertThat(pagedWaiting.figures("prod", null, T0, to).deployments()).isEqualTo(before);
        assertThat(pagedWaiting.highWaterMark()).as("read ahead in pages of 2, the fold stops at the gap too").isEqualTo(markBeforeGap);
        commit.countDown();
        late.join(60_000);
        assertThat(late.isAlive()).isFalse();
        // the stored mark stops before the gap: a new instance folds the late record and what follows it
        DeliveryTelemetry restarted = persisting(1);
        DoraFigures after = restarted.figures("prod", null, T0, to);
        assertThat(after.deployments()).isEqualTo(before + 2);
        // the late outcome and the two deployments after it
        assertThat(restarted.highWaterMark()).isEqualTo(markBeforeGap + 3);
        assertThat(after).isEqualTo(fullFold().figures("prod", null, T0, to));
        assertThat(waiting.figures("prod", null, T0, to)).isEqualTo(after);
        assertThat(pagedWaiting.figures("prod", null, T0, to)).isEqualTo(after);
    }

    @Test
    void aBackgroundStoreWritesTheAggregatesAfterTheCallThatFoldedThem() {
        weekInProd();
        Instant to = clock.instant().plusSeconds(1);
        DeliveryTelemetry background = new DeliveryTelemetry(store, audit, clock, DeliveryTelemetry.DEFAULT_FAILURE_WINDOW,
                DeliveryTelemetry.SETTLE_NANOS, 1, true);
        DoraFigures figures = background.figures("prod", null, T0, to);
        assertThat(figures).isEqualTo(fullFold().figures("prod", null, T0, to));
        assertThat(background.awaitStoredAggregates(Duration.ofSeconds(30))).isTrue();
        DeliveryTelemetry restarted = persisting(1);
        assertThat(restarted.refresh()).as("a start after the write folds nothing: it reads the stored aggregates").isZero();
        assertThat(restarted.figures("prod", null, T0, to)).isEqualTo(figures);
    }

    @Test
    void factsCopiedFromAnExistingLedgerByTheMigrationFoldToTheSameFigures() throws Exception {
        weekInProd();
        at(h(101, 0));
        deploy("staging", '1', Duration.ofMinutes(1), true);
        Promotion cancelled = promotions.request(new PromotionRequest("prod", Artifact.of("app", "1.99", digest('1')), null,
                "team/app", null, "ci"));
        promotions.cancel(cancelled.id(), "ci", "not today");
        telemetry.recordChange("ci", "app", digest('9'), "c0ffee9", clock.instant().minusSeconds(60), true);
        Instant from = T0.minus(Duration.ofDays(1));
        Instant to = clock.instant().plusSeconds(1);
        DeliveryTelemetry written = fullFold();
        assertThat(written.refresh()).isEqualTo(22);
        // a store from before the facts: the ledger and the changes only; the migration's statements copy them in
        String sql = new String(DeliveryTelemetry.class.getResourceAsStream(
                "/io/jenkins/plugins/releaseline/engine/store/migration/V53__telemetry_facts.sql").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String copy = sql.substring(sql.indexOf("-- What is recorded so far."));
        store.inTransaction(c -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM release_line_telemetry_fact");
                s.executeUpdate("DELETE FROM release_line_telemetry_digest");
                s.executeUpdate("DELETE FROM release_line_telemetry_name");
                // numbered from 1 as in a store that never had facts (the fold waits at a gap before its first fact)
                for (String table : List.of("fact", "digest", "name")) {
                    s.executeUpdate("ALTER TABLE release_line_telemetry_" + table + " ALTER COLUMN id RESTART WITH 1");
                }
            }
            return null;
        });
        assertThat(fullFold().figures("prod", null, from, to).changes()).isZero();
        store.inTransaction(c -> {
            try (java.sql.Statement s = c.createStatement()) {
                for (String statement : copy.split(";\\s*\\n")) {
                    if (!statement.isBlank()) {
                        s.executeUpdate(statement);
                    }
                }
            }
            return null;
        });
        DeliveryTelemetry copied = fullFold();
        for (String env : List.of("staging", "prod")) {
            assertThat(copied.figures(env, null, from, to)).as(env).isEqualTo(written.figures(env, null, from, to));
            assertThat(copied.figures(env, "app", from, to)).as(env).isEqualTo(written.figures(env, "app", from, to));
            assertThat(copied.outliers(env, from, to)).as(env).isEqualTo(written.outliers(env, from, to));
        }
        assertThat(copied.figures("prod", null, T0, T0.plus(Duration.ofDays(7))).failedChanges()).isEqualTo(4);
        assertThat(copied.ledgerCounts()).isEqualTo(written.ledgerCounts());
        assertThat(copied.ledgerCounts().get("prod")).containsEntry(LedgerKind.CANCELLED, 1L).containsEntry(LedgerKind.ROLLED_BACK, 1L)
                .containsEntry(LedgerKind.FAILED, 1L).containsEntry(LedgerKind.DEPLOYED, 6L).doesNotContainKey(LedgerKind.REQUESTED);
        assertThat(copied.refresh()).isZero();
    }

    @Test
    void storedAggregatesOfAnotherFailureWindowAreNotUsed() {
        weekInProd();
        Instant to = clock.instant();
        long all = persisting(1).refresh();
        DeliveryTelemetry hour = new DeliveryTelemetry(store, audit, clock, Duration.ofHours(1), DeliveryTelemetry.SETTLE_NANOS, 1);
        assertThat(hour.refresh()).isEqualTo(all);
        DoraFigures prod = hour.figures("prod", null, T0, to);
        assertThat(prod).isEqualTo(new DeliveryTelemetry(store, audit, clock, Duration.ofHours(1), DeliveryTelemetry.SETTLE_NANOS, 0)
                .figures("prod", null, T0, to));
        // within 1 h: B's failed attempt, and F (verification failed 30 min after); within 24 h also B (rolled back
        // 80 min after) and D (hotfixed 2 h after)
        assertThat(prod.failedChanges()).isEqualTo(2);
        assertThat(persisting(1).figures("prod", null, T0, to).failedChanges()).isEqualTo(4);
    }

    private DeliveryTelemetry persisting(long storeEvery) {
        return new DeliveryTelemetry(store, audit, clock, DeliveryTelemetry.DEFAULT_FAILURE_WINDOW, DeliveryTelemetry.SETTLE_NANOS, storeEvery);
    }

    /** A new instance that ignores the stored aggregates and folds the whole ledger. */
    private DeliveryTelemetry fullFold() {
        return new DeliveryTelemetry(store, audit, clock, DeliveryTelemetry.DEFAULT_FAILURE_WINDOW, DeliveryTelemetry.SETTLE_NANOS, 0);
    }

    private java.util.Optional<Long> latestDeployed(String environment) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM release_line_promotion WHERE environment = ? "
                    + "AND status = 'DEPLOYED' AND id NOT IN (SELECT promotion_id FROM release_line_telemetry_verification) "
                    + "ORDER BY id DESC LIMIT 1")) {
                q.setString(1, environment);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(rs.getLong(1)) : java.util.Optional.<Long>empty();
                }
            }
        });
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
        assertThat(DeliveryTelemetry.parseCommitTime("2026-03-02T10:15:30+01:00")).isEqualTo(Instant.parse("2026-03-02T09:15:30Z"));
        assertThat(DeliveryTelemetry.parseCommitTime(" 1772442930 ")).isEqualTo(Instant.parse("2026-03-02T09:15:30Z"));
        assertThatThrownBy(() -> DeliveryTelemetry.parseCommitTime("yesterday")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("committedAt: 'yesterday' is not a time");
        assertThatThrownBy(() -> DeliveryTelemetry.parseCommitTime("2026-03-02T10:15:30")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("committedAt: '2026-03-02T10:15:30' is not a time");
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
