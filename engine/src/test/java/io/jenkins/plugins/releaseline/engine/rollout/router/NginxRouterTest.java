package io.jenkins.plugins.releaseline.engine.rollout.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.testing.LoadGenerator;
import io.jenkins.plugins.releaseline.engine.testing.NginxServer;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NginxRouterTest {

    static TestApp blue;
    static TestApp green;
    static NginxServer nginx;

    @BeforeAll
    static void start() {
        blue = TestApp.start("blue", "1.0");
        green = TestApp.start("green", "1.1");
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("blue", blue.port());
        ports.put("green", green.port());
        nginx = NginxServer.start("app", ports, Map.of("blue", 100));
    }

    @AfterAll
    static void stop() {
        nginx.close();
        blue.close();
        green.close();
    }

    static NginxRouter router(List<String> directives) {
        return new NginxRouter("edge", NginxRouter.Settings.of(nginx.prefix(), nginx.config(), nginx.upstreamFile(), "app",
                nginx.serverAddresses(), directives), List.of("blue", "green"));
    }

    @BeforeEach
    void allBlue() {
        router(List.of("keepalive 32")).apply(TrafficSplit.all("blue", List.of("blue", "green")));
    }

    @Test
    void switchesByRewritingTheUpstreamAndReloading() throws Exception {
        NginxRouter r = router(List.of("keepalive 32"));
        assertThat(HaproxyRouterTest.colourOf(nginx.url())).isEqualTo("blue");
        var workersBefore = nginx.workerPids();
        assertThat(r.apply(TrafficSplit.all("green", r.backends())).of("green")).isEqualTo(100);
        assertThat(nginx.workerPids()).as("old workers have exited when apply returns").doesNotContainAnyElementsOf(workersBefore);
        for (int i = 0; i < 10; i++) {
            assertThat(HaproxyRouterTest.colourOf(nginx.url())).isEqualTo("green");
        }
        assertThat(Files.readString(nginx.upstreamFile())).contains("down;  # blue").contains("weight=100;  # green");
        assertThat(r.read()).isEqualTo(TrafficSplit.all("green", r.backends()));
    }

    @Test
    void aSplitIsReadBackFromTheLiveFile() throws Exception {
        NginxRouter r = router(List.of("keepalive 32"));
        r.apply(TrafficSplit.of("blue", "green", 20));
        assertThat(r.read().percent()).containsExactly(Map.entry("blue", 80), Map.entry("green", 20));
        try (LoadGenerator load = LoadGenerator.start(nginx.url(), 2, Duration.ZERO, Duration.ofSeconds(30), 200)) {
            assertThat(load.awaitDone(Duration.ofSeconds(60))).isTrue();
            assertThat(load.failed()).as(load.toString()).isZero();
            assertThat(load.byColour().get("green")).isBetween(25L, 55L);
        }
    }

    @Test
    void aCandidateThatFailsValidationIsNeverActivated() throws Exception {
        NginxRouter broken = router(List.of("keepalive not-a-number"));
        String before = Files.readString(nginx.upstreamFile());
        var workers = nginx.workerPids();
        assertThatThrownBy(() -> broken.apply(TrafficSplit.all("green", broken.backends())))
                .isInstanceOf(RouterException.class)
                .hasMessageContaining("refused the new upstream file")
                .hasMessageContaining("keepalive")
                .hasMessageContaining("previous config keeps serving");
        assertThat(Files.readString(nginx.upstreamFile())).isEqualTo(before);
        assertThat(nginx.workerPids()).as("no reload happened").isEqualTo(workers);
        assertThat(HaproxyRouterTest.colourOf(nginx.url())).isEqualTo("blue");
        assertThat(broken.read().of("blue")).isEqualTo(100);
        try (var files = Files.list(nginx.prefix())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".next") || n.endsWith(".check"));
        }
    }

    @Test
    void anUnresolvableServerAddressIsRefusedToo() throws Exception {
        Map<String, String> servers = new LinkedHashMap<>(nginx.serverAddresses());
        servers.put("green", "no-such-host.invalid:8080");
        NginxRouter r = new NginxRouter("edge", NginxRouter.Settings.of(nginx.prefix(), nginx.config(), nginx.upstreamFile(), "app",
                servers, List.of()), List.of("blue", "green"));
        assertThatThrownBy(() -> r.apply(TrafficSplit.all("green", r.backends()))).isInstanceOf(RouterException.class)
                .hasMessageContaining("no-such-host.invalid");
        assertThat(HaproxyRouterTest.colourOf(nginx.url())).isEqualTo("blue");
    }

    @Test
    void settingsAreCheckedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> NginxRouter.Settings.of(nginx.prefix(), nginx.config(), nginx.upstreamFile(), "app",
                Map.of("blue", "127.0.0.1:1; include /etc/passwd", "green", "127.0.0.1:2"), List.of()))
                .hasMessageStartingWith("backends:");
        assertThatThrownBy(() -> router(List.of("keepalive 1; evil")))
                .hasMessageStartingWith("upstreamDirectives:");
    }
}
