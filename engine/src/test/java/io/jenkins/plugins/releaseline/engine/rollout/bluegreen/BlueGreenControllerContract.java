package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouterTest;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.HaproxyServer;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The blue-green state machine against real HAProxy and test apps, on each store. */
abstract class BlueGreenControllerContract {

    static TestApp blue;
    static TestApp green;
    static HaproxyServer haproxy;

    final TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
    StoreTarget target;
    Store store;
    AuditTrail audit;
    BlueGreenController controller;
    HaproxyRouter router;

    abstract StoreTarget target();

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
        router = new HaproxyRouter("prod-lb", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(5)), "app",
                List.of("blue", "green"), RetryPolicy.DEFAULT);
        router.apply(TrafficSplit.all("blue", router.backends()));
        HaproxyRouterTest.awaitState(router, "green", BackendHealth.State.UP);
        target = target();
        store = target.open();
        audit = new AuditTrail(store, clock);
        controller = new BlueGreenController(store, audit, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    HealthCheck idleCheck(TestApp app) {
        return HealthCheck.of(app.url() + "/health", 200).withConsecutive(2)
                .withTiming(Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    HealthCheck frontCheck(String colour) {
        return HealthCheck.of(haproxy.frontendUrl() + "/", 200).withBody("colour=" + colour).withConsecutive(5)
                .withTiming(Duration.ofMillis(10), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    BlueGreenRollout deployAndSwitch(Duration keepWarm) {
        BlueGreenRollout r = controller.start("prod", router, "1.1", "alice");
        r = controller.verifyIdle(r.id(), router, idleCheck(green), "alice");
        assertThat(r.phase()).as(r.detail()).isEqualTo(BlueGreenPhase.IDLE_HEALTHY);
        return controller.switchTraffic(r.id(), router, new BlueGreenController.SwitchOptions(List.of(50, 100), Duration.ofMillis(10),
                keepWarm, frontCheck("green")), "alice");
    }

    @Test
    void deploysChecksSwitchesVerifiesAndKeepsTheOldColourWarm() throws Exception {
        BlueGreenRollout r = controller.start("prod", router, "1.1", "alice");
        assertThat(r.phase()).isEqualTo(BlueGreenPhase.DEPLOYING);
        assertThat(r.liveColour()).isEqualTo("blue");
        assertThat(r.targetColour()).isEqualTo("green");
        r = controller.verifyIdle(r.id(), router, idleCheck(green), "alice");
        r = controller.switchTraffic(r.id(), router, new BlueGreenController.SwitchOptions(List.of(50, 100), Duration.ofMillis(10),
                Duration.ofMinutes(10), frontCheck("green")), "alice");
        assertThat(r.phase()).as(r.detail()).isEqualTo(BlueGreenPhase.WARM);
        assertThat(r.warmUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(r.servingColour()).isEqualTo("green");
        assertThat(router.read().of("green")).isEqualTo(100);
        assertThat(HaproxyRouterTest.colourOf(haproxy.frontendUrl())).isEqualTo("green");
        assertThat(r.timeline()).extracting(BlueGreenRollout.Step::phase).containsExactly(BlueGreenPhase.DEPLOYING,
                BlueGreenPhase.VERIFYING_IDLE, BlueGreenPhase.IDLE_HEALTHY, BlueGreenPhase.SWITCHING, BlueGreenPhase.SWITCHING,
                BlueGreenPhase.VERIFYING_SWITCH, BlueGreenPhase.WARM);
        assertThat(r.timeline().get(4).detail()).contains("green=50");
        assertThat(audit.recent(AuditScope.of(AuditScope.Kind.ROLLOUT, "prod"), false, 20)).extracting(AuditRecord::action)
                .contains("rollout.bluegreen.deploying", "rollout.bluegreen.idle-healthy", "rollout.bluegreen.warm");
        assertThat(audit.verify().intact()).isTrue();

        BlueGreenRollout back = controller.rollback("prod", router, "bob", "checkout errors");
        assertThat(back.phase()).as(back.detail()).isEqualTo(BlueGreenPhase.ROLLED_BACK);
        assertThat(back.detail()).contains("rollback by bob (checkout errors)").contains("blue=100");
        assertThat(HaproxyRouterTest.colourOf(haproxy.frontendUrl())).isEqualTo("blue");
        assertThat(controller.current("prod")).isEmpty();
    }

    @Test
    void theOldColourIsRetiredWhenItsWarmTimeIsOverAndCannotBeRolledBackTo() {
        BlueGreenRollout r = deployAndSwitch(Duration.ofMinutes(10));
        assertThat(controller.retireDue("system")).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(controller.retireDue("system")).extracting(BlueGreenRollout::id).containsExactly(r.id());
        assertThat(controller.get(r.id()).orElseThrow().phase()).isEqualTo(BlueGreenPhase.COMPLETED);
        assertThatThrownBy(() -> controller.rollback("prod", router, "bob", null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("blue was retired");
        // the next rollout starts from green
        assertThat(controller.start("prod", router, "1.2", "alice").targetColour()).isEqualTo("blue");
    }

    @Test
    void oneRolloutAtATimePerEnvironmentAndNoneFromASplit() {
        BlueGreenRollout r = controller.start("prod", router, "1.1", "alice");
        assertThatThrownBy(() -> controller.start("prod", router, "1.2", "carol")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rollout #" + r.id()).hasMessageContaining("DEPLOYING");
        controller.deployFailed(r.id(), router, "alice", "image pull failed");
        assertThat(controller.get(r.id()).orElseThrow().phase()).isEqualTo(BlueGreenPhase.FAILED);
        router.apply(TrafficSplit.of("blue", "green", 30));
        assertThatThrownBy(() -> controller.start("prod", router, "1.2", "carol")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("splits traffic");
        assertThatThrownBy(() -> controller.start("prod env", router, "1.2", "carol")).hasMessageStartingWith("environment:");
    }

    @Test
    void anIdleColourThatNeverBecomesHealthyEndsTheRolloutWithTheOldColourServing() throws Exception {
        green.healthy(false);
        BlueGreenRollout r = controller.start("prod", router, "1.1", "alice");
        r = controller.verifyIdle(r.id(), router, idleCheck(green), "alice");
        assertThat(r.phase()).isEqualTo(BlueGreenPhase.FAILED);
        assertThat(r.detail()).contains("not healthy").contains("status 503").contains("traffic never moved: blue serves");
        assertThat(HaproxyRouterTest.colourOf(haproxy.frontendUrl())).isEqualTo("blue");
        assertThat(controller.current("prod")).isEmpty();
        BlueGreenRollout finalR = r;
        assertThatThrownBy(() -> controller.switchTraffic(finalR.id(), router, BlueGreenController.SwitchOptions.allAtOnce(Duration.ZERO), "alice"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FAILED");
    }

    @Test
    void aFrontCheckThatFailsSwitchesBackAtOnce() throws Exception {
        BlueGreenRollout r = controller.start("prod", router, "1.1", "alice");
        r = controller.verifyIdle(r.id(), router, idleCheck(green), "alice");
        r = controller.switchTraffic(r.id(), router, new BlueGreenController.SwitchOptions(List.of(100), Duration.ZERO,
                Duration.ofMinutes(5), frontCheck("purple").withTiming(Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofMillis(300))), "alice");
        assertThat(r.phase()).isEqualTo(BlueGreenPhase.ROLLED_BACK);
        assertThat(r.detail()).contains("do not reach green").contains("traffic back on blue");
        assertThat(HaproxyRouterTest.colourOf(haproxy.frontendUrl())).isEqualTo("blue");
    }

    /** A crash after the router took part of the switch: the controller's process dies before recording more. */
    @Test
    void resumeAfterACrashMidSwitchRollsBackWhatItCannotVerify() throws Exception {
        BlueGreenRollout r = controller.start("prod", router, "1.1", "alice");
        r = controller.verifyIdle(r.id(), router, idleCheck(green), "alice");
        long id = r.id();
        TrafficRouter crashing = new CrashingRouter(router, 1);
        assertThatThrownBy(() -> controller.switchTraffic(id, crashing, new BlueGreenController.SwitchOptions(List.of(50, 100),
                Duration.ZERO, Duration.ofMinutes(5), null), "alice")).isInstanceOf(CrashingRouter.Crash.class);
        store.close();
        store = target.open("controller-b");
        controller = new BlueGreenController(store, new AuditTrail(store, clock), clock);
        assertThat(controller.current("prod").orElseThrow().phase()).isEqualTo(BlueGreenPhase.SWITCHING);
        assertThat(router.read().of("green")).isEqualTo(50);
        BlueGreenRollout resumed = controller.resume("prod", router, "system").orElseThrow();
        assertThat(resumed.phase()).isEqualTo(BlueGreenPhase.ROLLED_BACK);
        assertThat(resumed.detail()).contains("interrupted part-way").contains("traffic back on blue");
        assertThat(HaproxyRouterTest.colourOf(haproxy.frontendUrl())).isEqualTo("blue");
    }

    @Test
    void resumeAfterACrashOnceTheRouterTookTheWholeSwitchVerifiesAndContinues() throws Exception {
        BlueGreenRollout r = controller.start("prod", router, "1.1", "alice");
        r = controller.verifyIdle(r.id(), router, idleCheck(green), "alice");
        long id = r.id();
        assertThatThrownBy(() -> controller.switchTraffic(id, new CrashingRouter(router, 1), BlueGreenController.SwitchOptions.allAtOnce(
                Duration.ofMinutes(5)), "alice")).isInstanceOf(CrashingRouter.Crash.class);
        BlueGreenRollout resumed = controller.resume("prod", router, "system").orElseThrow();
        assertThat(resumed.phase()).as(resumed.detail()).isEqualTo(BlueGreenPhase.WARM);
        assertThat(resumed.timeline()).extracting(BlueGreenRollout.Step::phase).endsWith(BlueGreenPhase.VERIFYING_SWITCH, BlueGreenPhase.WARM);
        assertThat(HaproxyRouterTest.colourOf(haproxy.frontendUrl())).isEqualTo("green");
        assertThat(controller.resume("prod", router, "system").orElseThrow().phase()).isEqualTo(BlueGreenPhase.WARM);
    }

    /** Applies {@code passes} changes, then applies one more and dies before returning, as a killed controller would. */
    static final class CrashingRouter implements TrafficRouter {
        static final class Crash extends RuntimeException {
            Crash() {
                super("controller process died");
            }
        }

        private final TrafficRouter delegate;
        private int passes;

        CrashingRouter(TrafficRouter delegate, int passes) {
            this.delegate = delegate;
            this.passes = passes;
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
            TrafficSplit s = delegate.apply(target);
            if (--passes <= 0) {
                throw new Crash();
            }
            return s;
        }

        @Override
        public java.util.Map<String, BackendHealth> health() {
            return delegate.health();
        }
    }
}
