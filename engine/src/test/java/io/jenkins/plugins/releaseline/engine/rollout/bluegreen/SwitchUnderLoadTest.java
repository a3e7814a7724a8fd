package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.NginxRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.testing.HaproxyServer;
import io.jenkins.plugins.releaseline.engine.testing.NginxServer;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The short version of the switch measurement: 10 switches under load, no request may fail or reach the old colour. */
class SwitchUnderLoadTest {

    static final List<String> COLOURS = List.of("blue", "green");

    @Test
    void tenSwitchesThroughHaproxyLoseNoRequest() throws Exception {
        try (TestApp blue = TestApp.start("blue", "1.0"); TestApp green = TestApp.start("green", "1.1");
             HaproxyServer haproxy = HaproxyServer.builder().server("blue", blue.port(), 100).server("green", green.port(), 0).start()) {
            HaproxyRouter router = new HaproxyRouter("lb", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(5)),
                    "app", COLOURS, RetryPolicy.DEFAULT);
            SwitchUnderLoad.Result r = SwitchUnderLoad.run("haproxy", router, haproxy.frontendUrl(), COLOURS, 10, 4, Duration.ofMillis(1), 50);
            System.out.println(r);
            assertThat(r.failed()).as(r.toString()).isZero();
            assertThat(r.wrongColourAfterSwitch()).as(r.toString()).isZero();
            assertThat(r.latencyNanos()).hasSize(10);
            assertThat(r.sent()).isGreaterThanOrEqualTo(500);
            assertThat(blue.served()).isPositive();
            assertThat(green.served()).isPositive();
        }
    }

    @Test
    void tenSwitchesThroughNginxLoseNoRequest() throws Exception {
        try (TestApp blue = TestApp.start("blue", "1.0"); TestApp green = TestApp.start("green", "1.1")) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("blue", blue.port());
            ports.put("green", green.port());
            try (NginxServer nginx = NginxServer.start("app", ports, Map.of("blue", 100))) {
                NginxRouter router = new NginxRouter("edge", NginxRouter.Settings.of(nginx.prefix(), nginx.config(), nginx.upstreamFile(),
                        "app", nginx.serverAddresses(), List.of("keepalive 32")), COLOURS);
                SwitchUnderLoad.Result r = SwitchUnderLoad.run("nginx", router, nginx.url(), COLOURS, 10, 4, Duration.ofMillis(1), 50);
                System.out.println(r);
            assertThat(r.failed()).as(r.toString()).isZero();
                assertThat(r.wrongColourAfterSwitch()).as(r.toString()).isZero();
                assertThat(r.latencyNanos()).hasSize(10);
                assertThat(r.sent()).isGreaterThanOrEqualTo(500);
            }
        }
    }
}
