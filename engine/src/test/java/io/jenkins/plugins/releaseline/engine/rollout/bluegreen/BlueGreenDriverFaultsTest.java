package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.drive.DriverRecords;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
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
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router down (a socket nobody listens on) or hanging (a socket that accepts and never answers) at each stage of a
 * driven rollout: it ends switched back or failing clearly, never succeeding, and no advance outlasts its router's
 * timeouts.
 */
class BlueGreenDriverFaultsTest {

    /** The longest one advance may take here: a few router calls of 1 s each, retried three times. */
    static final Duration ADVANCE_BUDGET = Duration.ofSeconds(20);

    static TestApp blue;
    static TestApp green;
    static HaproxyServer haproxy;
    static Hanging hanging;

    @TempDir
    Path dir;
    final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    Store store;
    HaproxyRouter real;
    Switchable router;

    @BeforeAll
    static void startServers() throws IOException {
        blue = TestApp.start("blue", "1.0");
        green = TestApp.start("green", "1.1");
        haproxy = HaproxyServer.builder().server("blue", blue.port(), 100).server("green", green.port(), 0).healthCheck("/health").start();
        hanging = new Hanging();
    }

    @AfterAll
    static void stopServers() throws IOException {
        hanging.close();
        haproxy.close();
        blue.close();
        green.close();
    }

    @BeforeEach
    void open() throws Exception {
        real = new HaproxyRouter("prod-lb", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(1)), "app",
                List.of("blue", "green"), RetryPolicy.DEFAULT);
        real.apply(TrafficSplit.all("blue", real.backends()));
        HaproxyRouterTest.awaitState(real, "green", BackendHealth.State.UP);
        router = new Switchable(real);
        store = StoreTarget.h2(dir).open();
    }

    @AfterEach
    void close() {
        store.close();
    }

    TrafficRouter hangingRouter() {
        return new HaproxyRouter("prod-lb", HaproxyRuntimeApi.tcp("127.0.0.1", hanging.port(), Duration.ofSeconds(1)), "app",
                List.of("blue", "green"), RetryPolicy.DEFAULT);
    }

    TrafficRouter downRouter() {
        return new HaproxyRouter("prod-lb", HaproxyRuntimeApi.unix(dir.resolve("nobody.sock"), Duration.ofSeconds(1)), "app",
                List.of("blue", "green"), RetryPolicy.DEFAULT);
    }

    BlueGreenPlan plan(BlueGreenPlan.Check check) {
        return new BlueGreenPlan("prod", "1.1", "alice", true, Map.of("blue", blue.url(), "green", green.url()), check, null,
                List.of(50, 100), 1000, 600_000);
    }

    BlueGreenPlan.Check healthy() {
        return new BlueGreenPlan.Check(null, 200, null, 1, 100, 1000, 10_000);
    }

    /**
     * Drives to the end; before each advance, {@code breakNow} (stage, weight steps done) decides whether the router
     * goes bad for the rest of the run ({@code broken}). Every advance is timed against the budget.
     */
    Next drive(BiPredicate<String, Integer> breakNow, TrafficRouter broken) {
        BlueGreenDriver.create(store, new AuditTrail(store, clock), clock, "build-1", router, plan(healthy()));
        Next next;
        int advances = 0;
        do {
            DriverRecords.Row row = store.read(c -> DriverRecords.load(c, "build-1")).orElseThrow();
            if (breakNow.test(row.phase(), row.document(BlueGreenDriver.State.class).step)) {
                router.to(broken);
            }
            BlueGreenDriver d = BlueGreenDriver.open(store, new AuditTrail(store, clock), clock, "build-1", router);
            long t0 = System.nanoTime();
            next = d.advance(clock.instant());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("advance at " + row.phase()).isLessThan(ADVANCE_BUDGET);
            if (next instanceof Next.RunBody b) {
                d.bodyFinished(b.bodyId(), true, null);
            } else if (next instanceof Next.Wait w) {
                clock.advance(w.from(clock.instant()));
            }
            assertThat(++advances).isLessThan(100);
        } while (!next.terminal());
        router.to(real);
        return next;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hanging", "down"})
    void theRouterGoneAtTheStartRefusesTheRollout(String how) {
        Next end = drive((stage, step) -> true, how.equals("hanging") ? hangingRouter() : downRouter());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).startsWith("the rollout did not start").contains("HAProxy Runtime API");
        assertThat(real.read().of("blue")).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hanging", "down"})
    void theRouterGoneWhileCheckingTheIdleColourEndsWithTrafficNeverMoved(String how) {
        Next end = drive((stage, step) -> stage.equals("ROUTER_VIEW"), how.equals("hanging") ? hangingRouter() : downRouter());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("FAILED", "router prod-lb sees it not at all", "traffic was not moved by this rollout");
        assertThat(real.read().of("blue")).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void theRouterHangingDuringTheSwitchIsUnresolvedThenRolledBackOnceItAnswers(int stepsDone) {
        Next end = drive((stage, step) -> stage.equals("SWITCH") && step == stepsDone, hangingRouter());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("UNRESOLVED", "failed at " + List.of(50, 100).get(stepsDone) + "%",
                "switching back to blue failed too");
        BlueGreenController controller = new BlueGreenController(store, new AuditTrail(store, clock), clock);
        BlueGreenRollout resumed = controller.resume("prod", real, "system").orElseThrow();
        assertThat(resumed.phase()).as(resumed.detail()).isEqualTo(BlueGreenPhase.ROLLED_BACK);
        assertThat(real.read().of("blue")).isEqualTo(100);
    }

    @Test
    void theRouterDownForOneStepIsSwitchedBackWhenItAnswersAgain() {
        TrafficRouter down = downRouter();
        int[] calls = {0};
        Next end = drive((stage, step) -> {
            if (stage.equals("SWITCH") && step == 1 && calls[0]++ == 0) {
                return true;
            }
            router.to(real);
            return false;
        }, down);
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("ROLLED_BACK", "failed at 100%", "traffic back on blue");
        assertThat(real.read().of("blue")).isEqualTo(100);
    }

    @Test
    void theRouterHangingAtTheReadBackIsNeverASuccess() {
        Next end = drive((stage, step) -> stage.equals("SWITCH") && step == 2, hangingRouter());
        assertThat(end).isInstanceOf(Next.Failed.class);
        assertThat(end.why()).contains("UNRESOLVED", "could not be read back after the switch");
    }

    @Test
    void anIdleColourThatHangsFailsTheCheckWithinItsDeadline() {
        BlueGreenPlan.Check check = new BlueGreenPlan.Check("http://127.0.0.1:" + hanging.port() + "/health", 200, null, 1, 1000, 1000, 5000);
        BlueGreenDriver.create(store, new AuditTrail(store, clock), clock, "build-1", router, plan(check));
        Next next;
        do {
            BlueGreenDriver d = BlueGreenDriver.open(store, new AuditTrail(store, clock), clock, "build-1", router);
            long t0 = System.nanoTime();
            next = d.advance(clock.instant());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(ADVANCE_BUDGET);
            if (next instanceof Next.RunBody b) {
                d.bodyFinished(b.bodyId(), true, null);
            } else if (next instanceof Next.Wait w) {
                clock.advance(w.from(clock.instant()));
            }
        } while (!next.terminal());
        assertThat(next.why()).contains("FAILED", "no answer within 1000 ms", "traffic never moved: blue serves");
    }

    /** Passes calls to whichever router it points at now. */
    static final class Switchable extends BlueGreenDriverTest.Delegating {
        private volatile TrafficRouter now;

        Switchable(TrafficRouter first) {
            super(first);
            this.now = first;
        }

        void to(TrafficRouter r) {
            now = r;
        }

        @Override
        public TrafficSplit read() {
            return now.read();
        }

        @Override
        public TrafficSplit apply(TrafficSplit target) {
            return now.apply(target);
        }

        @Override
        public Map<String, BackendHealth> health() {
            return now.health();
        }
    }

    /** A TCP port on 127.0.0.1 that accepts connections and never answers. */
    static final class Hanging implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        Hanging() throws IOException {
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "hanging-port");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
