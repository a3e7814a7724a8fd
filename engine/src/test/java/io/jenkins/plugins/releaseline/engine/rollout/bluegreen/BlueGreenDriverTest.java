package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.drive.DriveLoop;
import io.jenkins.plugins.releaseline.engine.drive.DriverRecords;
import io.jenkins.plugins.releaseline.engine.drive.EffectJournal;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.CommandRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouterTest;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.HaproxyServer;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole blue-green rollout driven one advance at a time, against a real HAProxy, with stops and with the store reopened. */
class BlueGreenDriverTest {

    static TestApp blue;
    static TestApp green;
    static HaproxyServer haproxy;

    @TempDir
    Path dir;
    final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    StoreTarget target;
    Store store;
    HaproxyRouter router;
    /** Every split the router was asked to set, in order (what reached HAProxy). */
    final List<TrafficSplit> applied = new ArrayList<>();
    final List<String> bodies = new ArrayList<>();

    @BeforeAll
    static void startServers() {
        blue = TestApp.start("blue", "1.0");
        green = TestApp.start("green", "1.1");
        haproxy = HaproxyServer.builder().server("blue", blue.port(), 100).server("green", green.port(), 0).healthCheck("/health").start();
    }

    @AfterAll
    static void stopServers() {
        haproxy.close();
        blue.close();
        green.close();
    }

    @BeforeEach
    void open() throws Exception {
        blue.healthy(true);
        green.healthy(true);
        router = new HaproxyRouter("prod-lb", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(2)), "app",
                List.of("blue", "green"), RetryPolicy.NONE);
        router.apply(TrafficSplit.all("blue", router.backends()));
        HaproxyRouterTest.awaitState(router, "green", BackendHealth.State.UP);
        target = StoreTarget.h2(dir);
        store = target.open();
    }

    @AfterEach
    void close() {
        store.close();
    }

    BlueGreenPlan plan(List<Integer> steps, long pauseMillis, BlueGreenPlan.Check front) {
        return new BlueGreenPlan("prod", "1.1", "alice", true,
                Map.of("blue", blue.url(), "green", green.url()),
                new BlueGreenPlan.Check(null, 200, null, 2, 1000, 2000, 30_000), front, steps, pauseMillis, 600_000);
    }

    BlueGreenDriver driver(String id) {
        return BlueGreenDriver.open(store, new AuditTrail(store, clock), clock, id, counting(router));
    }

    BlueGreenDriver create(String id, BlueGreenPlan plan) {
        return BlueGreenDriver.create(store, new AuditTrail(store, clock), clock, id, counting(router), plan);
    }

    /** The real router, noting what it is asked to set. */
    TrafficRouter counting(TrafficRouter real) {
        return new Delegating(real) {
            @Override
            public TrafficSplit apply(TrafficSplit t) {
                applied.add(t);
                return super.apply(t);
            }
        };
    }

    /** The process dies: the store is closed and opened again, as a restarted controller would. */
    void crash() {
        store.close();
        store = target.open("controller-b");
    }

    String stage(String id) {
        return store.read(c -> DriverRecords.load(c, id)).orElseThrow().phase();
    }

    EffectJournal.State effect(String id, String effect) {
        return store.read(c -> EffectJournal.state(c, id, effect));
    }

    DriveLoop loop() {
        return new DriveLoop(clock, clock::advance, Duration.ofMinutes(1), null);
    }

    String runBody(Next.RunBody body) {
        bodies.add(body.bodyId() + " " + body.environment());
        return null;
    }

    @Test
    void theWholeRolloutThroughTheDriver() throws Exception {
        BlueGreenDriver d = create("build-1", plan(List.of(50, 100), 5_000, new BlueGreenPlan.Check(haproxy.frontendUrl() + "/", 200,
                "colour=green", 3, 100, 2000, 10_000)));
        Next end = loop().run(d, this::runBody);

        assertThat(end).as(end.why()).isInstanceOf(Next.Done.class);
        assertThat(((Next.Done) end).result()).isEqualTo("green");
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0)).startsWith("deploy ").contains("RELEASE_LINE_PHASE=deploy", "RELEASE_LINE_TARGET_COLOR=green",
                "RELEASE_LINE_LIVE_COLOR=blue", "RELEASE_LINE_TARGET_URL=" + green.url(), "RELEASE_LINE_ROLLOUT_ID=");
        assertThat(applied).containsExactly(TrafficSplit.of("blue", "green", 50), TrafficSplit.of("blue", "green", 100));
        assertThat(router.read().of("green")).isEqualTo(100);
        assertThat(HaproxyRouterTest.colourOf(haproxy.frontendUrl())).isEqualTo("green");
        BlueGreenRollout r = d.rollout().orElseThrow();
        assertThat(r.phase()).isEqualTo(BlueGreenPhase.WARM);
        assertThat(r.timeline()).extracting(BlueGreenRollout.Step::phase).containsExactly(BlueGreenPhase.DEPLOYING,
                BlueGreenPhase.VERIFYING_IDLE, BlueGreenPhase.IDLE_HEALTHY, BlueGreenPhase.SWITCHING, BlueGreenPhase.SWITCHING,
                BlueGreenPhase.VERIFYING_SWITCH, BlueGreenPhase.WARM);
        assertThat(r.detail()).contains("front answers from green");
        assertThat(effect("build-1", "deploy-body")).isEqualTo(EffectJournal.State.DONE);
        assertThat(effect("build-1", "weights-50")).isEqualTo(EffectJournal.State.DONE);
        assertThat(effect("build-1", "weights-100")).isEqualTo(EffectJournal.State.DONE);
        // done is done: another advance changes nothing
        assertThat(d.advance(clock.instant())).isEqualTo(end);
    }

    @Test
    void theHealthCheckWaitsBetweenAttemptsUntilItsDeadlineThenEndsWithTheOldColourServing() throws Exception {
        green.healthy(false);
        BlueGreenDriver d = create("build-1", plan(List.of(100), 0, null));
        List<Next> steps = new ArrayList<>();
        Next end = new DriveLoop(clock, clock::advance, Duration.ofMinutes(1), steps::add).run(d, this::runBody);
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("FAILED", "not healthy", "status 503", "traffic never moved: blue serves");
        // one attempt per advance, a second apart, for the 30 s deadline
        assertThat(steps.stream().filter(n -> n instanceof Next.Wait w && w.why().startsWith("check #"))).hasSizeBetween(25, 31);
        assertThat(applied).isEmpty();
        assertThat(router.read().of("blue")).isEqualTo(100);
    }

    /** Opens the store anew before every advance: no advance relies on anything but the store and the router. */
    @Test
    void aRestartBeforeEveryAdvanceEndsAsAnUninterruptedRun() {
        create("build-1", plan(List.of(25, 50, 100), 5_000, null));
        Next next;
        int advances = 0;
        do {
            crash();
            next = driver("build-1").advance(clock.instant());
            if (next instanceof Next.RunBody b) {
                crash();
                driver("build-1").bodyFinished(b.bodyId(), true, "deployed");
                bodies.add(b.bodyId());
            } else if (next instanceof Next.Wait w) {
                clock.advance(w.from(clock.instant()));
            }
            assertThat(++advances).isLessThan(200);
        } while (!next.terminal());
        assertThat(next).as(next.why()).isInstanceOf(Next.Done.class);
        assertThat(bodies).containsExactly("deploy");
        assertThat(applied).containsExactly(TrafficSplit.of("blue", "green", 25), TrafficSplit.of("blue", "green", 50),
                TrafficSplit.of("blue", "green", 100));
        assertThat(router.read().of("green")).isEqualTo(100);
    }

    /** The process dies right after the router took a weight step, before the step was recorded as done. */
    @Test
    void aCrashAfterAWeightStepReconcilesByReadingTheRouterAndNeverSetsItTwice() throws Exception {
        for (int crashAt = 0; crashAt < 3; crashAt++) {
            router.apply(TrafficSplit.all("blue", router.backends()));
            applied.clear();
            String id = "build-" + crashAt;
            create(id, plan(List.of(25, 50, 100), 1_000, null));
            Next next = driveUntil(id, crashAt, true);
            assertThat(effect(id, "weights-" + List.of(25, 50, 100).get(crashAt))).isEqualTo(EffectJournal.State.BEGUN);
            crash();
            next = loop().run(driver(id), this::runBody);
            assertThat(next).as(next.why()).isInstanceOf(Next.Done.class);
            assertThat(applied).as("crash at step " + crashAt).containsExactly(TrafficSplit.of("blue", "green", 25),
                    TrafficSplit.of("blue", "green", 50), TrafficSplit.of("blue", "green", 100));
            assertThat(router.read().of("green")).isEqualTo(100);
            // the next rollout starts from blue again
            clock.advance(Duration.ofMinutes(11));
            assertThat(new BlueGreenController(store, new AuditTrail(store, clock), clock).retireDue("system")).hasSize(1);
        }
    }

    /** The process dies after recording that a weight step begins, before the router was called: the step is set once. */
    @Test
    void aCrashBeforeTheRouterWasCalledSetsTheStepOnce() throws Exception {
        create("build-1", plan(List.of(50, 100), 1_000, null));
        driveUntil("build-1", 1, false);
        assertThat(effect("build-1", "weights-100")).isEqualTo(EffectJournal.State.BEGUN);
        assertThat(router.read().of("green")).isEqualTo(50);
        crash();
        Next end = loop().run(driver("build-1"), this::runBody);
        assertThat(end).as(end.why()).isInstanceOf(Next.Done.class);
        assertThat(applied).containsExactly(TrafficSplit.of("blue", "green", 50), TrafficSplit.of("blue", "green", 100));
    }

    /** The front check fails, and the process dies as it switches back: after the restart the switch back is done once. */
    @Test
    void aCrashDuringTheSwitchBackEndsRolledBack() throws Exception {
        create("build-1", plan(List.of(100), 0, new BlueGreenPlan.Check(haproxy.frontendUrl() + "/", 200, "colour=purple", 2, 100,
                1000, 1000)));
        driveUntil("build-1", 1, false);
        assertThat(stage("build-1")).isEqualTo("SWITCH_BACK");
        assertThat(effect("build-1", "weights-back")).isEqualTo(EffectJournal.State.BEGUN);
        crash();
        Next end = loop().run(driver("build-1"), this::runBody);
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("ROLLED_BACK", "do not reach green", "traffic back on blue");
        assertThat(applied).containsExactly(TrafficSplit.of("blue", "green", 100), TrafficSplit.all("blue", router.backends()));
        assertThat(router.read().of("blue")).isEqualTo(100);
        assertThat(effect("build-1", "weights-back")).isEqualTo(EffectJournal.State.DONE);
    }

    /**
     * Drives with a router that dies at weight step {@code index}: after HAProxy took it ({@code afterApply}) or before it
     * was asked.
     */
    private Next driveUntil(String id, int index, boolean afterApply) {
        int[] seen = {0};
        TrafficRouter dying = new Delegating(router) {
            @Override
            public TrafficSplit apply(TrafficSplit t) {
                if (seen[0]++ == index) {
                    if (afterApply) {
                        applied.add(t);
                        super.apply(t);
                    }
                    throw new Died();
                }
                applied.add(t);
                return super.apply(t);
            }
        };
        BlueGreenDriver d = BlueGreenDriver.open(store, new AuditTrail(store, clock), clock, id, dying);
        try {
            loop().run(d, this::runBody);
        } catch (Died expected) {
            return null;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the router never died");
    }

    @Test
    void theDeployBodyIsNeverAskedForTwiceAfterACrashButAwaited() throws Exception {
        create("build-1", plan(List.of(100), 0, null));
        Next first = driver("build-1").advance(clock.instant()); // starts the rollout
        assertThat(first).isInstanceOf(Next.Wait.class);
        Next body = driver("build-1").advance(clock.instant());
        assertThat(body).isInstanceOf(Next.RunBody.class);
        crash();
        Next again = driver("build-1").advance(clock.instant());
        assertThat(again).isInstanceOf(Next.AwaitBody.class);
        assertThat(((Next.AwaitBody) again).bodyId()).isEqualTo("deploy");
        // the body that ran on reports; a second report is ignored
        driver("build-1").bodyFinished("deploy", true, "ok");
        driver("build-1").bodyFinished("deploy", false, "late duplicate");
        Next end = loop().run(driver("build-1"), b -> {
            throw new AssertionError("asked for a body again: " + b);
        });
        assertThat(end).as(end.why()).isInstanceOf(Next.Done.class);
    }

    @Test
    void aPlanWithAMistakeIsRefusedBeforeAnythingHappens() {
        BlueGreenPlan.Check noUrl = new BlueGreenPlan.Check(null, 200, null, 3, 1000, 2000, 30_000);
        BlueGreenPlan plan = new BlueGreenPlan("prod", "1.1", "alice", true, Map.of("blue", blue.url()), noUrl, null, List.of(100), 0, 0);
        assertThatThrownBy(() -> create("build-1", plan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("healthCheck.url").hasMessageContaining("green");
        assertThatThrownBy(() -> plan(List.of(50, 40), 0, null)).hasMessageContaining("steps: [50, 40]");
        assertThatThrownBy(() -> create("build-2", plan(List.of(100), 0, new BlueGreenPlan.Check("http://{color}.x/", 700, null, 1, 1,
                1, 1)))).hasMessageContaining("expect: 700");
        java.util.Optional<DriverRecords.Row> none = store.read(c -> DriverRecords.load(c, "build-1"));
        assertThat(none).isEmpty();
        assertThat(applied).isEmpty();
    }

    @Test
    void aFailedDeployBodyEndsTheRolloutBeforeTrafficMoved() throws Exception {
        create("build-1", plan(List.of(100), 0, null));
        Next end = loop().run(driver("build-1"), b -> "image pull failed");
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("FAILED", "deployment to green failed: image pull failed", "traffic never moved");
        assertThat(applied).isEmpty();
    }

    @Test
    void aStopBeforeTheSwitchEndsWithoutMovingTraffic() {
        create("build-1", plan(List.of(100), 0, null));
        driver("build-1").advance(clock.instant());
        assertThat(driver("build-1").advance(clock.instant())).isInstanceOf(Next.RunBody.class);
        driver("build-1").requestStop("aborted by carol");
        Next end = driver("build-1").advance(clock.instant());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("stopped: aborted by carol before the switch", "traffic never moved: blue serves");
        assertThat(applied).isEmpty();
        // the body's late report changes nothing
        driver("build-1").bodyFinished("deploy", true, "ok");
        assertThat(driver("build-1").advance(clock.instant())).isEqualTo(end);
    }

    @Test
    void aStopDuringTheSwitchSwitchesBack() throws Exception {
        create("build-1", plan(List.of(50, 100), 60_000, null));
        Next next;
        do {
            next = driver("build-1").advance(clock.instant());
            if (next instanceof Next.RunBody b) {
                driver("build-1").bodyFinished(b.bodyId(), true, null);
            } else if (next instanceof Next.Wait w && !w.why().contains("green at 50%")) {
                clock.advance(w.from(clock.instant()));
            }
        } while (!(next instanceof Next.Wait w && w.why().contains("green at 50%")));
        assertThat(router.read().of("green")).isEqualTo(50);
        driver("build-1").requestStop("aborted");
        Next end = loop().run(driver("build-1"), this::runBody);
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("ROLLED_BACK", "stopped: aborted", "traffic back on blue");
        assertThat(router.read().of("blue")).isEqualTo(100);
        assertThat(applied).containsExactly(TrafficSplit.of("blue", "green", 50), TrafficSplit.all("blue", router.backends()));
    }

    @Test
    void thePipelinesRouterCodeRunsOncePerWeightStepAndIsAwaitedAfterACrash() {
        CommandRouter dns = new CommandRouter("dns", List.of("blue", "green"), "blue", (t, e) -> {
            throw new AssertionError("the driver runs the routing code as a body");
        }, store, new AuditTrail(store, clock), clock, "alice");
        BlueGreenPlan plan = new BlueGreenPlan("prod", "1.1", "alice", true, Map.of("blue", blue.url(), "green", green.url()),
                new BlueGreenPlan.Check(null, 200, null, 1, 100, 2000, 10_000), null, List.of(50, 100), 1000, 0);
        BlueGreenDriver.create(store, new AuditTrail(store, clock), clock, "build-1", dns, plan);
        List<Map<String, String>> routes = new ArrayList<>();
        Next next;
        boolean crashed = false;
        do {
            CommandRouter r = new CommandRouter("dns", List.of("blue", "green"), "blue", (t, e) -> {
                throw new AssertionError("the driver runs the routing code as a body");
            }, store, new AuditTrail(store, clock), clock, "alice");
            BlueGreenDriver d = BlueGreenDriver.open(store, new AuditTrail(store, clock), clock, "build-1", r);
            next = d.advance(clock.instant());
            if (next instanceof Next.RunBody b && b.purpose().equals("route")) {
                routes.add(b.environment());
                if (!crashed) {
                    crashed = true;
                    crash();
                    Next awaited = BlueGreenDriver.open(store, new AuditTrail(store, clock), clock, "build-1", dns(store)).advance(clock.instant());
                    assertThat(awaited).isInstanceOf(Next.AwaitBody.class);
                    assertThat(((Next.AwaitBody) awaited).bodyId()).isEqualTo(b.bodyId());
                }
                BlueGreenDriver.open(store, new AuditTrail(store, clock), clock, "build-1", dns(store))
                        .bodyFinished(b.bodyId(), true, b.environment().get(CommandRouter.WEIGHTS));
            } else if (next instanceof Next.RunBody b) {
                d.bodyFinished(b.bodyId(), true, null);
            } else if (next instanceof Next.Wait w) {
                clock.advance(w.from(clock.instant()));
            }
        } while (!next.terminal());
        assertThat(next).as(next.why()).isInstanceOf(Next.Done.class);
        assertThat(routes).extracting(e -> e.get(CommandRouter.WEIGHTS)).containsExactly("blue=50,green=50", "blue=0,green=100");
        assertThat(routes).extracting(e -> e.get("RELEASE_LINE_PHASE")).containsOnly("route");
        assertThat(routes).extracting(e -> e.get(CommandRouter.CANARY_WEIGHT)).containsExactly("50", "100");
        assertThat(dns(store).read().of("green")).isEqualTo(100);
    }

    @Test
    void aPipelineRouterThatReportsSomethingElseIsRoutedBack() {
        BlueGreenPlan plan = new BlueGreenPlan("prod", "1.1", "alice", true, Map.of("blue", blue.url(), "green", green.url()),
                new BlueGreenPlan.Check(null, 200, null, 1, 100, 2000, 10_000), null, List.of(100), 0, 0);
        BlueGreenDriver.create(store, new AuditTrail(store, clock), clock, "build-1", dns(store), plan);
        List<String> routes = new ArrayList<>();
        Next end;
        do {
            BlueGreenDriver d = BlueGreenDriver.open(store, new AuditTrail(store, clock), clock, "build-1", dns(store));
            end = d.advance(clock.instant());
            if (end instanceof Next.RunBody b && b.purpose().equals("route")) {
                routes.add(b.environment().get(CommandRouter.WEIGHTS));
                d.bodyFinished(b.bodyId(), true, routes.size() == 1 ? "blue=50,green=50" : b.environment().get(CommandRouter.WEIGHTS));
            } else if (end instanceof Next.RunBody b) {
                d.bodyFinished(b.bodyId(), true, null);
            } else if (end instanceof Next.Wait w) {
                clock.advance(w.from(clock.instant()));
            }
        } while (!end.terminal());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("ROLLED_BACK", "reported {blue=50, green=50}");
        assertThat(routes).containsExactly("blue=0,green=100", "blue=100,green=0");
        assertThat(dns(store).read().of("blue")).isEqualTo(100);
    }

    CommandRouter dns(Store s) {
        return new CommandRouter("dns", List.of("blue", "green"), "blue", (t, e) -> {
            throw new AssertionError("the driver runs the routing code as a body");
        }, s, new AuditTrail(s, clock), clock, "alice");
    }

    /** Thrown by a router standing in for a process that dies. */
    static final class Died extends RuntimeException {
        Died() {
            super("the controller process died");
        }
    }

    /** A router that passes every call on; tests override what they watch. */
    static class Delegating implements TrafficRouter {
        private final TrafficRouter delegate;

        Delegating(TrafficRouter delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public List<String> backends() {
            return delegate.backends();
        }

        @Override
        public TrafficSplit read() {
            return delegate.read();
        }

        @Override
        public TrafficSplit apply(TrafficSplit target) {
            return delegate.apply(target);
        }

        @Override
        public Map<String, BackendHealth> health() {
            return delegate.health();
        }
    }
}
