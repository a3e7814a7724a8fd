package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouterTest;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.NginxRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;
import io.jenkins.plugins.releaseline.engine.rollout.router.RouterException;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.HaproxyServer;
import io.jenkins.plugins.releaseline.engine.testing.NginxServer;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults with the real servers: each ends in a state reported truthfully, the old colour serving where it can. */
class BlueGreenFaultsTest {

    static final List<String> COLOURS = List.of("blue", "green");
    static final RetryPolicy QUICK = new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(100));

    @TempDir
    Path dir;
    TestApp blue;
    TestApp green;
    Store store;
    BlueGreenController controller;

    @BeforeEach
    void start() {
        blue = TestApp.start("blue", "1.0");
        green = TestApp.start("green", "1.1");
        store = StoreTarget.h2(dir).open();
        TestClock clock = new TestClock(Instant.parse("2026-11-25T10:00:00Z"));
        controller = new BlueGreenController(store, new AuditTrail(store, clock), clock);
    }

    @AfterEach
    void stop() {
        store.close();
        blue.close();
        green.close();
    }

    HealthCheck idleCheck() {
        return HealthCheck.of(green.url() + "/health", 200).withConsecutive(2).withTiming(Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @Test
    void haproxyKilledMidSwitchIsReportedUnresolvedThenRolledBackOnceItIsBack() throws Exception {
        try (HaproxyServer haproxy = HaproxyServer.builder().server("blue", blue.port(), 100).server("green", green.port(), 0).start()) {
            HaproxyRouter router = new HaproxyRouter("lb", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(2)), "app", COLOURS, QUICK);
            BlueGreenRollout r = controller.start("prod", router, "1.1", "alice");
            r = controller.verifyIdle(r.id(), router, idleCheck(), "alice");
            TrafficRouter killing = new KillingRouter(router, 2, haproxy::kill);
            r = controller.switchTraffic(r.id(), killing, new BlueGreenController.SwitchOptions(List.of(50, 100), Duration.ZERO,
                    Duration.ofMinutes(5), null), "alice");
            assertThat(r.phase()).isEqualTo(BlueGreenPhase.UNRESOLVED);
            assertThat(r.detail()).contains("failed at 100%").contains("unreachable").contains("switching back to blue failed too")
                    .contains("unknown");
            assertThatThrownBy(() -> controller.resume("prod", router, "system")).isInstanceOf(RouterException.class);
            assertThat(controller.current("prod").orElseThrow().phase()).as("nothing recorded while HAProxy is down")
                    .isEqualTo(BlueGreenPhase.UNRESOLVED);

            haproxy.restart(); // back from its config: all on blue
            BlueGreenRollout resumed = controller.resume("prod", router, "system").orElseThrow();
            assertThat(resumed.phase()).isEqualTo(BlueGreenPhase.ROLLED_BACK);
            assertThat(resumed.detail()).contains("blue serves, as the rollback asked");
            assertThat(HaproxyRouterTest.colourOf(haproxy.frontendUrl())).isEqualTo("blue");
        }
    }

    @Test
    void haproxyRestartedWhileTheOldColourIsWarmIsFoundOnResumeAndReportedAsItIs() throws Exception {
        try (HaproxyServer haproxy = HaproxyServer.builder().server("blue", blue.port(), 100).server("green", green.port(), 0).start()) {
            HaproxyRouter router = new HaproxyRouter("lb", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(2)), "app", COLOURS, QUICK);
            BlueGreenRollout r = controller.start("prod", router, "1.1", "alice");
            r = controller.verifyIdle(r.id(), router, idleCheck(), "alice");
            r = controller.switchTraffic(r.id(), router, BlueGreenController.SwitchOptions.allAtOnce(Duration.ofMinutes(5)), "alice");
            assertThat(r.phase()).isEqualTo(BlueGreenPhase.WARM);
            haproxy.restart(); // the Runtime API's weights are gone: HAProxy serves blue from its config file
            BlueGreenRollout resumed = controller.resume("prod", router, "system").orElseThrow();
            assertThat(resumed.phase()).isEqualTo(BlueGreenPhase.ROLLED_BACK);
            assertThat(resumed.detail()).contains("the router lost the switch").contains("blue, the old version, serves");
            assertThat(HaproxyRouterTest.colourOf(haproxy.frontendUrl())).isEqualTo("blue");
        }
    }

    @Test
    void nginxWithABrokenConfigKeepsServingTheOldColour() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("blue", blue.port());
        ports.put("green", green.port());
        try (NginxServer nginx = NginxServer.start("app", ports, Map.of("blue", 100))) {
            NginxRouter router = new NginxRouter("edge", NginxRouter.Settings.of(nginx.prefix(), nginx.config(), nginx.upstreamFile(), "app",
                    nginx.serverAddresses(), List.of("keepalive 32")), COLOURS);
            BlueGreenRollout r = controller.start("prod", router, "1.1", "alice");
            r = controller.verifyIdle(r.id(), router, idleCheck(), "alice");
            // someone breaks the main config while the rollout runs
            String good = Files.readString(nginx.config());
            Files.writeString(nginx.config(), "this_is_not_a_directive on;\n", StandardOpenOption.APPEND);
            r = controller.switchTraffic(r.id(), router, BlueGreenController.SwitchOptions.allAtOnce(Duration.ofMinutes(5)), "alice");
            assertThat(r.phase()).isEqualTo(BlueGreenPhase.ROLLED_BACK);
            assertThat(r.detail()).contains("refused the new upstream file").contains("this_is_not_a_directive")
                    .contains("traffic back on blue");
            assertThat(HaproxyRouterTest.colourOf(nginx.url())).isEqualTo("blue");
            Files.writeString(nginx.config(), good);
            BlueGreenRollout again = controller.start("prod", router, "1.1", "alice");
            again = controller.verifyIdle(again.id(), router, idleCheck(), "alice");
            again = controller.switchTraffic(again.id(), router, BlueGreenController.SwitchOptions.allAtOnce(Duration.ofMinutes(5)), "alice");
            assertThat(again.phase()).as(again.detail()).isEqualTo(BlueGreenPhase.WARM);
            assertThat(HaproxyRouterTest.colourOf(nginx.url())).isEqualTo("green");
        }
    }

    @Test
    void aRouterUnreachableAtRollbackTimeIsReportedAndTheRollbackCanBeRetried() throws Exception {
        try (HaproxyServer haproxy = HaproxyServer.builder().server("blue", blue.port(), 100).server("green", green.port(), 0).tcpAdmin(true).start()) {
            HaproxyRouter router = new HaproxyRouter("lb", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(2)), "app", COLOURS, QUICK);
            BlueGreenRollout r = controller.start("prod", router, "1.1", "alice");
            r = controller.verifyIdle(r.id(), router, idleCheck(), "alice");
            r = controller.switchTraffic(r.id(), router, BlueGreenController.SwitchOptions.allAtOnce(Duration.ofMinutes(5)), "alice");
            assertThat(r.phase()).isEqualTo(BlueGreenPhase.WARM);
            // the admin API is cut off (a firewall, a moved socket) while the data plane keeps serving
            HaproxyRouter cutOff = new HaproxyRouter("lb", HaproxyRuntimeApi.tcp("127.0.0.1", haproxy.adminTcpPort() == 1 ? 2 : 1,
                    Duration.ofMillis(500)), "app", COLOURS, QUICK);
            BlueGreenRollout failed = controller.rollback("prod", cutOff, "bob", "errors");
            assertThat(failed.phase()).isEqualTo(BlueGreenPhase.UNRESOLVED);
            assertThat(failed.detail()).contains("rollback by bob").contains("switching back to blue failed too")
                    .contains("unreachable").contains("resume or roll back");
            assertThat(HaproxyRouterTest.colourOf(haproxy.frontendUrl())).as("nothing changed: the new colour serves").isEqualTo("green");
            BlueGreenRollout done = controller.rollback("prod", router, "bob", "errors");
            assertThat(done.phase()).isEqualTo(BlueGreenPhase.ROLLED_BACK);
            assertThat(HaproxyRouterTest.colourOf(haproxy.frontendUrl())).isEqualTo("blue");
        }
    }

    /** Runs {@code action} (kills the router) just before its {@code n}-th change. */
    static final class KillingRouter implements TrafficRouter {
        private final TrafficRouter delegate;
        private final Runnable action;
        private int n;

        KillingRouter(TrafficRouter delegate, int n, Runnable action) {
            this.delegate = delegate;
            this.n = n;
            this.action = action;
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
            if (--n == 0) {
                action.run();
            }
            return delegate.apply(target);
        }

        @Override
        public Map<String, BackendHealth> health() {
            return delegate.health();
        }
    }
}
