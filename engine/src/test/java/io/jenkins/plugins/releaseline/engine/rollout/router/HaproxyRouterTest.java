package io.jenkins.plugins.releaseline.engine.rollout.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.testing.HaproxyServer;
import io.jenkins.plugins.releaseline.engine.testing.LoadGenerator;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

public class HaproxyRouterTest {

    static TestApp blue;
    static TestApp green;
    static HaproxyServer haproxy;

    @BeforeAll
    static void start() {
        blue = TestApp.start("blue", "1.0");
        green = TestApp.start("green", "1.1");
        haproxy = HaproxyServer.builder().backend("app").server("blue", blue.port(), 100).server("green", green.port(), 0)
                .healthCheck("/health").tcpAdmin(true).start();
    }

    @AfterAll
    static void stop() {
        haproxy.close();
        blue.close();
        green.close();
    }

    @BeforeEach
    void allBlue() {
        blue.healthy(true);
        green.healthy(true);
        router(unix()).apply(TrafficSplit.all("blue", List.of("blue", "green")));
    }

    static HaproxyRuntimeApi unix() {
        return HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(5));
    }

    static HaproxyRouter router(HaproxyRuntimeApi api) {
        return new HaproxyRouter("prod-lb", api, "app", List.of("blue", "green"), RetryPolicy.DEFAULT);
    }

    @Test
    void readsTheWeightsHaproxyHolds() {
        assertThat(router(unix()).read()).isEqualTo(TrafficSplit.all("blue", List.of("blue", "green")));
        assertThat(router(unix()).weights()).containsExactly(Map.entry("blue", 100), Map.entry("green", 0));
    }

    @Test
    void switchOverTcpMovesTrafficAtOnce() throws Exception {
        HaproxyRouter tcp = router(HaproxyRuntimeApi.parse("tcp:127.0.0.1:" + haproxy.adminTcpPort(), Duration.ofSeconds(5)));
        assertThat(colourOf(haproxy.frontendUrl())).isEqualTo("blue");
        TrafficSplit after = tcp.apply(TrafficSplit.all("green", tcp.backends()));
        assertThat(after.of("green")).isEqualTo(100);
        for (int i = 0; i < 10; i++) {
            assertThat(colourOf(haproxy.frontendUrl())).isEqualTo("green");
        }
    }

    @Test
    void aSplitSendsTrafficToBothInProportion() throws Exception {
        HaproxyRouter r = router(unix());
        r.apply(TrafficSplit.of("blue", "green", 25));
        assertThat(r.read().percent()).containsExactly(Map.entry("blue", 75), Map.entry("green", 25));
        try (LoadGenerator load = LoadGenerator.start(haproxy.frontendUrl(), 2, Duration.ZERO, Duration.ofSeconds(30), 200)) {
            assertThat(load.awaitDone(Duration.ofSeconds(60))).isTrue();
            assertThat(load.failed()).as(load.toString()).isZero();
            // round robin on weights 75/25: exactly one in four goes to green
            assertThat(load.byColour().get("green")).isBetween(40L, 60L);
        }
    }

    @Test
    void healthIsWhatHaproxysChecksSee() throws Exception {
        HaproxyRouter r = router(unix());
        green.healthy(false);
        awaitState(r, "green", BackendHealth.State.DOWN);
        assertThat(r.health().get("green").detail()).contains("DOWN");
        assertThat(r.health().get("blue").state()).isEqualTo(BackendHealth.State.UP);
        green.healthy(true);
        awaitState(r, "green", BackendHealth.State.UP);
        r.drain("green");
        assertThat(r.health().get("green").state()).isEqualTo(BackendHealth.State.DRAINING);
        assertThat(r.serverStates().get("green").draining()).isTrue();
        r.ready("green");
        assertThat(r.health().get("green").state()).isEqualTo(BackendHealth.State.UP);
    }

    @Test
    void anUnknownServerIsRefusedWithHaproxysWords() {
        HaproxyRouter wrong = new HaproxyRouter("prod-lb", unix(), "app", List.of("blue", "purple"), RetryPolicy.NONE);
        assertThatThrownBy(wrong::read).isInstanceOf(RouterException.class).hasMessageContaining("no server 'purple'");
        assertThat(router(unix()).read().of("blue")).isEqualTo(100);
    }

    @Test
    void aSplitNamingOtherBackendsChangesNothing() {
        HaproxyRouter r = router(unix());
        assertThatThrownBy(() -> r.apply(TrafficSplit.all("purple", List.of("blue", "purple"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("split:");
        assertThat(r.read().of("blue")).isEqualTo(100);
    }

    @Test
    void anUnreachableSocketFailsLoudlyAfterRetrying() {
        HaproxyRouter r = new HaproxyRouter("gone", HaproxyRuntimeApi.unix(haproxy.adminSocket().resolveSibling("nothing.sock"),
                Duration.ofSeconds(1)), "app", List.of("blue", "green"),
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20)));
        assertThatThrownBy(r::read).isInstanceOf(RouterException.class)
                .hasMessageContaining("after 3 attempts").hasMessageContaining("unreachable")
                .satisfies(e -> assertThat(((RouterException) e).retryable()).isTrue());
    }

    @Test
    void addressesParseOrAreRefusedByName() {
        assertThat(HaproxyRuntimeApi.parse("/run/haproxy/admin.sock", Duration.ofSeconds(1)).toString()).isEqualTo("unix:/run/haproxy/admin.sock");
        assertThat(HaproxyRuntimeApi.parse("127.0.0.1:9999", Duration.ofSeconds(1)).toString()).isEqualTo("tcp:127.0.0.1:9999");
        assertThatThrownBy(() -> HaproxyRuntimeApi.parse("haproxy", Duration.ofSeconds(1))).hasMessageStartingWith("address:");
        assertThatThrownBy(() -> unix().execute("set server app/blue weight 0; show info")).hasMessageStartingWith("command:");
    }

    public static void awaitState(HaproxyRouter r, String server, BackendHealth.State state) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (r.health().get(server).state() != state) {
            assertThat(System.nanoTime()).as("HAProxy to report %s %s: %s", server, state, r.health()).isLessThan(end);
            Thread.sleep(50);
        }
    }

    public static String colourOf(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue(TestApp.COLOUR_HEADER).orElseThrow();
    }
}
