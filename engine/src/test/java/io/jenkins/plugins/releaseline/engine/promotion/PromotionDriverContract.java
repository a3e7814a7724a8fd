package io.jenkins.plugins.releaseline.engine.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.drive.DriveLoop;
import io.jenkins.plugins.releaseline.engine.drive.EffectJournal;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The promotion driver's whole path, its crash recovery and its stops, against each database the store supports. */
abstract class PromotionDriverContract {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final String A = "sha256:" + "a".repeat(64);
    static final String B = "sha256:" + "b".repeat(64);
    /** How the ledger and messages name app 1.0 with digest A. */
    static final String APP_A = Artifact.of("app", "1.0", A).toString();

    StoreTarget target;
    Store store;
    TestClock clock;
    TestFreezeBoard freezes;
    PromotionEngine engine;
    int drivers;

    abstract StoreTarget newTarget() throws Exception;

    @BeforeEach
    void open() throws Exception {
        target = newTarget();
        clock = new TestClock(T0);
        freezes = new TestFreezeBoard();
        store = target.open("controller-a");
        engine = newEngine(store);
        engine.configure(PromotionContract.line(LockPolicy.WAIT), "admin");
    }

    @AfterEach
    void close() {
        store.close();
    }

    PromotionEngine newEngine(Store s) {
        return new PromotionEngine(s, new AuditTrail(s, clock), clock, freezes);
    }

    /** A process that crashed: the store is closed and opened again, and the engine and driver made anew. */
    PromotionDriver reopen(String driverId) {
        store.close();
        store = target.open("controller-a");
        engine = newEngine(store);
        return new PromotionDriver(store, engine, driverId);
    }

    static PromotionDriver.State spec(String env, String version, String digest, String branch, PromotionDriver.Deploy deploy) {
        PromotionDriver.State s = new PromotionDriver.State();
        s.environment = env;
        s.artifact = "app";
        s.version = version;
        s.digest = digest;
        s.branch = branch;
        s.jobPath = "team/app";
        s.buildLink = "https://ci.example/job/app/" + version + "/";
        s.requestedBy = "carol";
        s.waitForGates = true;
        s.timeoutMillis = Duration.ofMinutes(30).toMillis();
        s.pollMillis = Duration.ofSeconds(15).toMillis();
        s.deploy = deploy;
        return s;
    }

    PromotionDriver create(PromotionDriver.State s) {
        return PromotionDriver.create(store, engine, "driver-" + (++drivers), s, clock.instant());
    }

    /** integration (and staging) hold app {@code digest}, deployed through drivers without a body. */
    void deployed(String env, String version, String digest, String branch) {
        Next end = create(spec(env, version, digest, branch, PromotionDriver.Deploy.AT_ONCE)).advance(clock.instant());
        assertThat(end).as(end.why()).isInstanceOf(Next.Done.class);
    }

    long countKind(long promotionId, LedgerKind kind) {
        return engine.entries(promotionId).stream().filter(e -> e.kind() == kind).count();
    }

    long count(String sql) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void gatesPassThenTheBodyRunsOnceAndTheOutcomeIsRecordedOnce() {
        PromotionDriver d = create(spec("integration", "1.0", A, "integration", PromotionDriver.Deploy.BODY));
        Next first = d.advance(clock.instant());
        assertThat(first).isInstanceOf(Next.RunBody.class);
        Next.RunBody body = (Next.RunBody) first;
        assertThat(body.environment()).containsEntry("RELEASE_LINE_ENVIRONMENT", "integration")
                .containsEntry("RELEASE_LINE_ARTIFACT", "app").containsEntry("RELEASE_LINE_VERSION", "1.0")
                .containsEntry("RELEASE_LINE_DIGEST", A);
        long id = d.state().promotionId;
        assertThat(engine.promotion(id).status()).isEqualTo(PromotionStatus.DEPLOYING);
        assertThat(engine.locks()).extracting(LockHolder::promotionId).containsExactly(id);
        assertThat(d.advance(clock.instant())).as("asked again: the same body").isEqualTo(body);

        d.bodyFinished(body.bodyId(), true, null);
        d.bodyFinished(body.bodyId(), false, "a late second report");
        d.bodyFinished("some-other-body", false, "not this driver's body");
        Next end = d.advance(clock.instant());
        assertThat(end).isEqualTo(new Next.Done(null, "Recorded " + APP_A + " as deployed to integration"));
        assertThat(d.advance(clock.instant())).isEqualTo(end);
        assertThat(engine.promotion(id).status()).isEqualTo(PromotionStatus.DEPLOYED);
        assertThat(engine.locks()).isEmpty();
        assertThat(countKind(id, LedgerKind.DEPLOYED)).isEqualTo(1);
        assertThat(d.state().outcome).isEqualTo(PromotionDriver.Outcome.DEPLOYED);
    }

    @Test
    void aFailedBodyIsRecordedAsFailedWithItsDetail() {
        PromotionDriver d = create(spec("integration", "1.0", A, "integration", PromotionDriver.Deploy.BODY));
        Next.RunBody body = (Next.RunBody) d.advance(clock.instant());
        d.bodyFinished(body.bodyId(), false, "script returned exit code 1");
        Next end = d.advance(clock.instant());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).isEqualTo("Recorded " + APP_A + " as failed in integration (script returned exit code 1)");
        assertThat(engine.promotion(d.state().promotionId).status()).isEqualTo(PromotionStatus.FAILED);
        assertThat(engine.locks()).isEmpty();
    }

    @Test
    void refusingGatesFailWithEveryReason() {
        PromotionDriver d = create(spec("staging", "1.0", A, "feature/x", PromotionDriver.Deploy.BODY));
        Next end = d.advance(clock.instant());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).startsWith("Promotion 1 of " + APP_A + " to staging refused:")
                .contains("  - previous environment: ", "  - branch: ");
        assertThat(engine.promotion(1).status()).isEqualTo(PromotionStatus.REFUSED);
        assertThat(d.state().outcome).isEqualTo(PromotionDriver.Outcome.REFUSED);
        assertThat(d.state().verdicts).extracting(GateVerdict::gate).contains("branch", "previous environment");
    }

    @Test
    void anUnknownEnvironmentEndsTheDriverWithTheEngineMessage() {
        PromotionDriver d = create(spec("moon", "1.0", A, "main", PromotionDriver.Deploy.BODY));
        Next end = d.advance(clock.instant());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("moon");
        assertThat(d.state().outcome).isEqualTo(PromotionDriver.Outcome.INVALID);
        assertThat(count("SELECT COUNT(*) FROM release_line_promotion")).isZero();
    }

    @Test
    void waitingGatesWaitUntilTheNextPollThenTheDeadlineCancelsThePromotion() {
        deployed("integration", "1.0", A, "integration");
        deployed("staging", "1.0", A, "main");
        PromotionDriver d = create(spec("prod", "1.0", A, "release/1.0", PromotionDriver.Deploy.BODY));
        Next first = d.advance(clock.instant());
        assertThat(first).isInstanceOf(Next.Wait.class);
        assertThat(((Next.Wait) first).until()).isEqualTo(T0.plusSeconds(15));
        assertThat(first.why()).startsWith("waiting for: [WAIT] soak time: ").contains("[WAIT] approvals: 0 of 2");
        long id = d.state().promotionId;

        clock.advance(Duration.ofMinutes(29).plusSeconds(50));
        Next late = d.advance(clock.instant());
        assertThat(((Next.Wait) late).until()).as("never past the deadline").isEqualTo(T0.plus(Duration.ofMinutes(30)));

        clock.advance(Duration.ofSeconds(10));
        Next end = d.advance(clock.instant());
        assertThat(end).isEqualTo(new Next.Failed("timed out after 30 minutes waiting for: soak time, approvals"));
        assertThat(engine.promotion(id).status()).isEqualTo(PromotionStatus.CANCELLED);
        assertThat(d.state().outcome).isEqualTo(PromotionDriver.Outcome.TIMED_OUT);
    }

    @Test
    void anApprovalLetsAWaitingPromotionGoOn() {
        deployed("integration", "1.0", A, "integration");
        deployed("staging", "1.0", A, "main");
        clock.advance(Duration.ofHours(2));
        PromotionDriver d = create(spec("prod", "1.0", A, "release/1.0", PromotionDriver.Deploy.BODY));
        assertThat(d.advance(clock.instant()).why()).isEqualTo("waiting for: [WAIT] approvals: "
                + engine.evaluate(d.state().promotionId).of("approvals").reason());
        engine.approve(d.state().promotionId, Actor.user("alice"), null);
        engine.approve(d.state().promotionId, Actor.user("bob"), null);
        Next next = d.advance(clock.instant());
        assertThat(next).isInstanceOf(Next.RunBody.class);
        assertThat(((Next.RunBody) next).environment()).containsEntry("RELEASE_LINE_ENVIRONMENT", "prod");
    }

    @Test
    void withoutWaitingAWaitingGateRefuses() {
        deployed("integration", "1.0", A, "integration");
        deployed("staging", "1.0", A, "main");
        PromotionDriver.State s = spec("prod", "1.0", A, "release/1.0", PromotionDriver.Deploy.BODY);
        s.waitForGates = false;
        Next end = create(s).advance(clock.instant());
        assertThat(end.why()).contains("refused:", "  - soak time: ", "  - approvals: ");
    }

    @Test
    void rollbackGoesThroughTheDriverToo() {
        deployed("integration", "1.0", A, "integration");
        deployed("integration", "1.1", B, "integration");
        PromotionDriver.State s = spec("integration", null, null, null, PromotionDriver.Deploy.BODY);
        s.rollback = true;
        s.reason = "1.1 is slow";
        PromotionDriver d = create(s);
        Next.RunBody body = (Next.RunBody) d.advance(clock.instant());
        assertThat(body.environment()).containsEntry("RELEASE_LINE_VERSION", "1.0").containsEntry("RELEASE_LINE_DIGEST", A);
        d.bodyFinished(body.bodyId(), true, null);
        assertThat(d.advance(clock.instant())).isInstanceOf(Next.Done.class);
        assertThat(engine.current("integration")).singleElement().satisfies(dep -> {
            assertThat(dep.artifact().version()).isEqualTo("1.0");
            assertThat(dep.rollback()).isTrue();
        });
    }

    @Test
    void startedOnlyLeavesThePromotionDeploying() {
        Next end = create(spec("integration", "1.0", A, "integration", PromotionDriver.Deploy.LATER)).advance(clock.instant());
        assertThat(end).isEqualTo(new Next.Done("1", "promotion 1 is deploying " + APP_A + " to integration"));
        assertThat(engine.promotion(1).status()).isEqualTo(PromotionStatus.DEPLOYING);
    }

    // ---- crashes

    /** Where the test crashes the process: the driver's own checkpoints, and the caller's points around the body. */
    static final List<String> CRASH_POINTS = List.of("requested", "started", "before-body-starts", "after-body-reported",
            "finish-begun", "finished");

    /** Thrown at a crash point. */
    static final class Crash extends RuntimeException {
        Crash(String point) {
            super("crash at " + point, null, false, false);
        }
    }

    /**
     * Runs a promotion with a body to its end like a caller that persists which bodies it started (as a Pipeline
     * step does), crashing once at {@code crashAt} (null: never). Returns how many bodies were started.
     */
    int runWithCrash(String crashAt, Set<String> startedBodies) {
        PromotionDriver d = create(spec("integration", "1.0", A, "integration", PromotionDriver.Deploy.BODY));
        String driverId = d.id();
        boolean[] crashed = {crashAt == null};
        int starts = 0;
        for (int round = 0; round < 20; round++) {
            if (!crashed[0]) {
                d.checkpoint = point -> {
                    if (point.equals(crashAt) && !crashed[0]) {
                        crashed[0] = true;
                        throw new Crash(point);
                    }
                };
            }
            try {
                Next next = d.advance(clock.instant());
                if (next.terminal()) {
                    assertThat(crashed[0]).as("crashed at " + crashAt).isTrue();
                    return starts;
                }
                if (next instanceof Next.RunBody body) {
                    d.checkpoint.accept("before-body-starts");
                    if (startedBodies.add(body.bodyId())) {
                        starts++;
                        d.bodyFinished(body.bodyId(), true, null);
                        d.checkpoint.accept("after-body-reported");
                    }
                }
            } catch (Crash e) {
                d = reopen(driverId);
            }
        }
        throw new AssertionError("the driver did not end in 20 rounds");
    }

    @Test
    void aCrashBetweenAnyTwoSideEffectsNeitherRepeatsNorLosesOne() {
        for (String point : CRASH_POINTS) {
            Set<String> started = new HashSet<>();
            int before = drivers;
            int starts = runWithCrash(point, started);
            String driverId = "driver-" + (before + 1);
            PromotionDriver d = new PromotionDriver(store, engine, driverId);
            long id = d.state().promotionId;
            assertThat(starts).as("bodies started, crash at " + point).isEqualTo(1);
            assertThat(started).as(point).containsExactly(driverId + "/body");
            assertThat(d.phase()).as(point).isEqualTo("DONE");
            assertThat(d.state().outcome).as(point).isEqualTo(PromotionDriver.Outcome.DEPLOYED);
            assertThat(engine.promotion(id).status()).as(point).isEqualTo(PromotionStatus.DEPLOYED);
            assertThat(countKind(id, LedgerKind.REQUESTED)).as(point).isEqualTo(1);
            assertThat(countKind(id, LedgerKind.STARTED)).as(point).isEqualTo(1);
            assertThat(countKind(id, LedgerKind.DEPLOYED)).as(point).isEqualTo(1);
            assertThat(engine.locks()).as(point).isEmpty();
            store.read(c -> {
                assertThat(EffectJournal.state(c, driverId, "body")).as(point).isEqualTo(EffectJournal.State.DONE);
                assertThat(EffectJournal.state(c, driverId, "finish")).as(point).isEqualTo(EffectJournal.State.DONE);
                return null;
            });
        }
        assertThat(count("SELECT COUNT(*) FROM release_line_promotion")).as("one promotion per run, none repeated")
                .isEqualTo(CRASH_POINTS.size());
    }

    @Test
    void aCrashAfterTheFinishWasBegunButBeforeTheLedgerRecordsItFinishesOnce() {
        PromotionDriver d = create(spec("integration", "1.0", A, "integration", PromotionDriver.Deploy.AT_ONCE));
        d.checkpoint = point -> {
            if (point.equals("finish-begun")) {
                throw new Crash(point);
            }
        };
        try {
            d.advance(clock.instant());
        } catch (Crash expected) {
            // the process died here
        }
        long id = 1;
        assertThat(engine.promotion(id).status()).isEqualTo(PromotionStatus.DEPLOYING);
        PromotionDriver again = reopen(d.id());
        assertThat(again.advance(clock.instant())).isInstanceOf(Next.Done.class);
        assertThat(countKind(id, LedgerKind.DEPLOYED)).isEqualTo(1);
    }

    // ---- stops

    @Test
    void aStopBeforeTheRequestRequestsNothing() {
        PromotionDriver d = create(spec("integration", "1.0", A, "integration", PromotionDriver.Deploy.BODY));
        d.requestStop("build aborted");
        assertThat(d.advance(clock.instant())).isEqualTo(new Next.Failed("stopped before the promotion was requested: build aborted"));
        assertThat(count("SELECT COUNT(*) FROM release_line_promotion")).isZero();
    }

    @Test
    void aStopWhileWaitingCancelsThePromotion() {
        deployed("integration", "1.0", A, "integration");
        deployed("staging", "1.0", A, "main");
        PromotionDriver d = create(spec("prod", "1.0", A, "release/1.0", PromotionDriver.Deploy.BODY));
        assertThat(d.advance(clock.instant())).isInstanceOf(Next.Wait.class);
        d.requestStop("build aborted");
        d.requestStop("a second reason loses");
        assertThat(d.advance(clock.instant())).isEqualTo(new Next.Failed("stopped: build aborted"));
        assertThat(engine.promotion(d.state().promotionId).status()).isEqualTo(PromotionStatus.CANCELLED);
        assertThat(d.state().outcome).isEqualTo(PromotionDriver.Outcome.STOPPED);
    }

    @Test
    void aStopWhileDeployingRecordsTheDeploymentAsFailedAndIgnoresTheLateBody() {
        PromotionDriver d = create(spec("integration", "1.0", A, "integration", PromotionDriver.Deploy.BODY));
        Next.RunBody body = (Next.RunBody) d.advance(clock.instant());
        d.requestStop("build aborted");
        Next end = d.advance(clock.instant());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).isEqualTo("stopped: build aborted; recorded " + APP_A + " as failed in integration");
        long id = d.state().promotionId;
        assertThat(engine.promotion(id).status()).isEqualTo(PromotionStatus.FAILED);
        assertThat(engine.locks()).isEmpty();
        d.bodyFinished(body.bodyId(), true, null);
        assertThat(d.advance(clock.instant())).isEqualTo(end);
        assertThat(engine.promotion(id).status()).isEqualTo(PromotionStatus.FAILED);
    }

    @Test
    void aStopAfterTheBodyEndedRecordsWhatTheBodyDid() {
        PromotionDriver d = create(spec("integration", "1.0", A, "integration", PromotionDriver.Deploy.BODY));
        Next.RunBody body = (Next.RunBody) d.advance(clock.instant());
        d.bodyFinished(body.bodyId(), true, null);
        d.requestStop("build aborted");
        assertThat(d.advance(clock.instant())).isInstanceOf(Next.Done.class);
        assertThat(engine.promotion(d.state().promotionId).status()).isEqualTo(PromotionStatus.DEPLOYED);
    }

    // ---- the loop of the CLI and freestyle builds

    @Test
    void driveLoopSleepsThroughWaitsRunsTheBodyOnceAndReturnsTheEnd() throws Exception {
        deployed("integration", "1.0", A, "integration");
        deployed("staging", "1.0", A, "main");
        clock.advance(Duration.ofHours(2));
        PromotionDriver d = create(spec("prod", "1.0", A, "release/1.0", PromotionDriver.Deploy.BODY));
        List<Duration> sleeps = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        List<Next> seen = new ArrayList<>();
        Next end = DriveLoop.untilDone(d, clock, duration -> {
            sleeps.add(duration);
            clock.advance(duration);
            if (sleeps.size() == 2) {
                engine.approve(d.state().promotionId, Actor.user("alice"), null);
                engine.approve(d.state().promotionId, Actor.user("bob"), null);
            }
        }, body -> {
            bodies.add(body.bodyId());
            return DriveLoop.Outcome.ok();
        }, seen::add, Duration.ofMinutes(5));
        assertThat(end).isInstanceOf(Next.Done.class);
        assertThat(sleeps).containsExactly(DriveLoop.MAX_SLEEP, DriveLoop.MAX_SLEEP);
        assertThat(bodies).containsExactly(d.id() + "/body");
        assertThat(seen).hasSize(4).last().isEqualTo(end);
        assertThat(engine.promotion(d.state().promotionId).status()).isEqualTo(PromotionStatus.DEPLOYED);
    }

    @Test
    void driveLoopUntilBodyHandsTheBodyBackForACallerWhoseBodyRunsLater() throws Exception {
        PromotionDriver d = create(spec("integration", "1.0", A, "integration", PromotionDriver.Deploy.BODY));
        Next next = DriveLoop.untilBody(d, clock, duration -> clock.advance(duration), n -> {}, Duration.ofMinutes(5));
        assertThat(next).isInstanceOf(Next.RunBody.class);
        d.bodyFinished(((Next.RunBody) next).bodyId(), false, "build result FAILURE");
        Next end = DriveLoop.untilDone(d, clock, duration -> clock.advance(duration), DriveLoop.NO_BODY);
        assertThat(end.why()).isEqualTo("Recorded " + APP_A + " as failed in integration (build result FAILURE)");
    }

    @Test
    void anInterruptedDriveLoopStopsTheDriver() throws Exception {
        deployed("integration", "1.0", A, "integration");
        deployed("staging", "1.0", A, "main");
        PromotionDriver d = create(spec("prod", "1.0", A, "release/1.0", PromotionDriver.Deploy.BODY));
        Next end = DriveLoop.untilDone(d, clock, duration -> {
            throw new InterruptedException();
        }, DriveLoop.NO_BODY);
        assertThat(Thread.interrupted()).as("the interrupt flag is set again (and cleared here)").isTrue();
        assertThat(end).isEqualTo(new Next.Failed("stopped: interrupted"));
        assertThat(engine.promotion(d.state().promotionId).status()).isEqualTo(PromotionStatus.CANCELLED);
    }
}
