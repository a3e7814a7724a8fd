package io.jenkins.plugins.releaseline.engine.rollout.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.HaproxyServer;
import io.jenkins.plugins.releaseline.engine.testing.Ports;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canary driver against a real HAProxy (Runtime API on its UNIX socket): the whole plan; a crash (a new store,
 * controller and driver on the same H2 file) at each point between two side effects, which repeats no weight change
 * and ends where an uninterrupted run does; and a router that is down or hangs from each step on, which ends in a
 * rollback or a clear failure, never a success, every advance returning within its budget.
 */
class CanaryDriverWithHaproxyTest {

    static final String ID = "shop#12-1";
    static final String PLAN = "10%/5s, 50%/5s, 100%";
    /** One advance may make a few router calls, each bounded by the Runtime API's timeout (and retries). */
    static final Duration ADVANCE_BUDGET = Duration.ofSeconds(15);

    @TempDir
    Path folder;

    StoreTarget target;
    Store store;
    TestClock clock;
    CanaryController controller;
    HaproxyServer haproxy;
    HaproxyRouter haproxyRouter;
    Recording router;
    ServerSocket silent;
    final List<Socket> held = new CopyOnWriteArrayList<>();

    /** Passes calls to the router of the moment, and remembers every split it was asked to set. */
    static final class Recording implements TrafficRouter {
        volatile TrafficRouter delegate;
        final List<Integer> applied = new CopyOnWriteArrayList<>();

        Recording(TrafficRouter delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return "prod-lb";
        }

        @Override
        public List<String> backends() {
            return List.of("stable", "canary");
        }

        @Override
        public TrafficSplit read() {
            return delegate.read();
        }

        @Override
        public TrafficSplit apply(TrafficSplit target) {
            applied.add(target.of("canary"));
            return delegate.apply(target);
        }

        @Override
        public Map<String, BackendHealth> health() {
            return delegate.health();
        }
    }

    @BeforeEach
    void start() {
        target = StoreTarget.h2(folder);
        clock = new TestClock(Instant.parse("2026-12-05T03:00:00Z"));
        haproxy = HaproxyServer.builder().server("stable", Ports.free(), 100).server("canary", Ports.free(), 0).start();
        haproxyRouter = new HaproxyRouter("prod-lb", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(2)), "app",
                List.of("stable", "canary"), RetryPolicy.DEFAULT);
        router = new Recording(haproxyRouter);
        reopen();
    }

    @AfterEach
    void stop() throws IOException {
        try {
            store.close();
        } finally {
            haproxy.close();
            for (Socket s : held) {
                s.close();
            }
            if (silent != null) {
                silent.close();
            }
        }
    }

    void reopen() {
        if (store != null) {
            store.close();
        }
        store = target.open("c1");
        controller = new CanaryController(store, new AuditTrail(store, clock), clock);
    }

    CanaryDriver driver() {
        return new CanaryDriver(ID, store, controller, clock, router,
                () -> CanaryControllerContract.analysis(new CanaryScriptedSource("good"))).withRollbackAttempts(3);
    }

    void create() {
        CanaryDriver.create(store, clock, "alice", CanarySpec.of(ID, "prod-lb", "stable", "canary", CanaryPlan.parse(PLAN)),
                false, false);
    }

    /** Advances to the end, moving the clock to each wait; each advance must return within its budget. */
    Next drive(CanaryDriver d) {
        for (int i = 0; i < 100; i++) {
            Next next = assertTimeoutPreemptively(ADVANCE_BUDGET, () -> d.advance(clock.instant()), "advance returns");
            if (next.terminal()) {
                return next;
            }
            assertThat(next).isInstanceOf(Next.Wait.class);
            clock.set(((Next.Wait) next).until());
        }
        throw new AssertionError("no end after 100 advances");
    }

    int haproxyCanaryWeight() {
        return haproxyRouter.weights().get("canary");
    }

    @Test
    void theWholePlanMovesHaproxyStepByStep() {
        create();
        CanaryDriver d = driver();
        assertThat(d.advance(clock.instant())).isInstanceOf(Next.Wait.class);
        assertThat(haproxyCanaryWeight()).isEqualTo(10);
        clock.advance(Duration.ofSeconds(5));
        d.advance(clock.instant());
        assertThat(haproxyCanaryWeight()).isEqualTo(50);
        Next end = drive(d);
        assertThat(end).isInstanceOf(Next.Done.class);
        assertThat(haproxyRouter.weights()).containsEntry("stable", 0).containsEntry("canary", 100);
        assertThat(router.applied).containsExactly(10, 50, 100);
    }

    /** Thrown from a crash point: unwinds like the process dying there (nothing after it runs). */
    static final class Crash extends Error {
        Crash(String where) {
            super(where, null, false, false);
        }
    }

    @Test
    void aCrashBetweenAnyTwoSideEffectsRepeatsNoWeightChangeAndEndsTheSame() {
        // three weight changes, three points each: journaled as begun, applied on HAProxy, journaled as done
        int points = 9;
        for (int crashAt = 1; crashAt <= points; crashAt++) {
            String id = ID + "-" + crashAt;
            router.applied.clear();
            CanaryDriver.create(store, clock, "alice", CanarySpec.of(id, "prod-lb", "stable", "canary",
                    CanaryPlan.parse(PLAN)), false, false);
            List<String> seen = new ArrayList<>();
            int at = crashAt;
            CanaryDriver d = new CanaryDriver(id, store, controller, clock, router,
                    () -> CanaryControllerContract.analysis(new CanaryScriptedSource("good")));
            d.crashPoints = (point, effect) -> {
                seen.add(point + " " + effect);
                if (seen.size() == at) {
                    throw new Crash(point + " " + effect);
                }
            };
            String crashedAt = null;
            Next end = null;
            try {
                end = driveUntilEnd(d);
            } catch (Crash c) {
                crashedAt = c.getMessage();
            }
            assertThat(crashedAt).as("crash point %d was reached", at).isNotNull();
            reopen();
            CanaryDriver after = new CanaryDriver(id, store, controller, clock, router,
                    () -> CanaryControllerContract.analysis(new CanaryScriptedSource("good")));
            end = driveUntilEnd(after);
            assertThat(end).as("after a crash at %s", crashedAt).isInstanceOf(Next.Done.class);
            assertThat(router.applied).as("weights set on HAProxy with a crash at %s", crashedAt).containsExactly(10, 50, 100);
            assertThat(haproxyRouter.weights()).containsEntry("canary", 100);
            assertThat(controller.get(id).state()).isEqualTo(CanaryState.SUCCEEDED);
            haproxyRouter.apply(TrafficSplit.of("stable", "canary", 0));
        }
    }

    Next driveUntilEnd(CanaryDriver d) {
        for (int i = 0; i < 100; i++) {
            Next next = d.advance(clock.instant());
            if (next.terminal()) {
                return next;
            }
            clock.set(((Next.Wait) next).until());
        }
        throw new AssertionError("no end");
    }

    @Test
    void haproxyDownFromAnyStepOnEndsInRollbackOrAClearFailure() {
        for (int step = 0; step < 3; step++) {
            String id = ID + "-down-" + step;
            if (!haproxy.isRunning()) {
                haproxy.restart();
            }
            CanaryDriver.create(store, clock, "alice", CanarySpec.of(id, "prod-lb", "stable", "canary",
                    CanaryPlan.parse(PLAN)), false, false);
            CanaryDriver d = new CanaryDriver(id, store, controller, clock, router,
                    () -> CanaryControllerContract.analysis(new CanaryScriptedSource("good"))).withRollbackAttempts(3);
            for (int s = 0; s < step; s++) {
                d.advance(clock.instant());
                clock.advance(Duration.ofSeconds(5));
            }
            haproxy.kill();
            Next end = drive(d);
            assertThat(end).as("HAProxy down from step %d", step + 1).isInstanceOf(Next.Failed.class);
            assertThat(end.why()).contains("did not confirm the canary at 0% after 3 attempts");
            assertThat(controller.get(id).state()).isNotEqualTo(CanaryState.SUCCEEDED);
            haproxy.restart();
            finishTheRollback(id);
        }
    }

    /** Once the router is back, the rollout left rolling back reaches 0% at its next advance. */
    void finishTheRollback(String id) {
        clock.advance(Duration.ofMinutes(1));
        CanaryRollout r = controller.advance(id, haproxyRouter, CanaryControllerContract.analysis(new CanaryScriptedSource("good")));
        assertThat(r.state()).isIn(CanaryState.ROLLED_BACK, CanaryState.ABORTED);
        assertThat(haproxyCanaryWeight()).isZero();
    }

    @Test
    void aRouterThatHangsFromAnyStepOnEndsInAClearFailureAndEachAdvanceReturns() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept()); // accepted, never answered
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-runtime-api");
        acceptor.setDaemon(true);
        acceptor.start();
        HaproxyRouter hanging = new HaproxyRouter("prod-lb", HaproxyRuntimeApi.tcp("127.0.0.1", silent.getLocalPort(),
                Duration.ofMillis(500)), "app", List.of("stable", "canary"), RetryPolicy.DEFAULT);
        for (int step = 0; step < 3; step++) {
            String id = ID + "-hang-" + step;
            router.delegate = haproxyRouter;
            CanaryDriver.create(store, clock, "alice", CanarySpec.of(id, "prod-lb", "stable", "canary",
                    CanaryPlan.parse(PLAN)), false, false);
            CanaryDriver d = new CanaryDriver(id, store, controller, clock, router,
                    () -> CanaryControllerContract.analysis(new CanaryScriptedSource("good"))).withRollbackAttempts(3);
            for (int s = 0; s < step; s++) {
                d.advance(clock.instant());
                clock.advance(Duration.ofSeconds(5));
            }
            router.delegate = hanging;
            Next end = drive(d);
            assertThat(end).as("router hanging from step %d", step + 1).isInstanceOf(Next.Failed.class);
            assertThat(end.why()).contains("did not confirm the canary at 0%").contains("did not answer");
            assertThat(controller.get(id).state()).isNotEqualTo(CanaryState.SUCCEEDED);
            router.delegate = haproxyRouter;
            finishTheRollback(id);
        }
    }
}
