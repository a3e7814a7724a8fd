package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.testing.Ports;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpProbeSourceTest {

    private static final AnalysisContext CTX = new AnalysisContext("canary", "stable", Instant.now().minusSeconds(5), Instant.now());
    private static final CanaryMetric ERRORS = CanaryMetric.of("error-rate", "probes", "error-rate", Direction.LOWER_IS_BETTER)
            .withThreshold(Aggregate.MEAN, 0.01);
    private static final CanaryMetric LATENCY = CanaryMetric.of("latency", "probes", "latency /", Direction.LOWER_IS_BETTER);

    @Test
    void probesMeasureErrorsAndLatencyOfEachSide() {
        try (TestApp stable = TestApp.start("stable", "1.0");
             TestApp canary = TestApp.start("canary", "2.0").failFraction(0.05).delay(Duration.ofMillis(50))) {
            HttpProbeSource probes = new HttpProbeSource("probes", Map.of("stable", URI.create(stable.url()),
                    "canary", URI.create(canary.url())), 100, 8, Duration.ofSeconds(5));
            MetricSamples errors = probes.measure(ERRORS, CTX);
            MetricSamples latency = probes.measure(LATENCY, CTX);
            assertThat(errors.canary()).hasSize(100);
            assertThat(Arrays.stream(errors.canary()).sum()).isBetween(4.0, 6.0);
            assertThat(Arrays.stream(errors.baseline()).sum()).isEqualTo(0.0);
            assertThat(Arrays.stream(latency.canary()).min().orElseThrow()).isGreaterThanOrEqualTo(50.0);
            // Both metrics of one analysis share one burst of probes (10 warm-up requests each, then 100 measured).
            assertThat(canary.served()).isEqualTo(110);
            assertThat(stable.served()).isEqualTo(110);

            AnalysisReport report = new CanaryAnalysis(List.of(ERRORS, LATENCY), List.of(probes), CanaryJudge.defaults())
                    .run(new AnalysisContext("canary", "stable", Instant.now().minusSeconds(1), Instant.now()));
            assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(report.failedMetrics()).containsExactly("error-rate", "latency");
        }
    }

    @Test
    void aCanaryThatDoesNotAnswerIsAllErrors() {
        try (TestApp stable = TestApp.start("stable", "1.0")) {
            HttpProbeSource probes = new HttpProbeSource("probes", Map.of("stable", URI.create(stable.url()),
                    "canary", URI.create("http://127.0.0.1:" + Ports.free())), 30, 4, Duration.ofSeconds(2));
            MetricSamples errors = probes.measure(ERRORS, CTX);
            assertThat(Arrays.stream(errors.canary()).sum()).isEqualTo(30.0);
            MetricSamples latency = probes.measure(LATENCY, CTX);
            assertThat(latency.canary()).as("no answer: infinitely slow, never left out").hasSize(30)
                    .containsOnly(Double.POSITIVE_INFINITY);
            MetricResult judged = CanaryJudge.defaults().judge(LATENCY, latency);
            assertThat(judged.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(judged.reason()).contains("30 of 30 canary samples inf");
        }
    }

    @Test
    void badQueriesAndUnknownSidesAreRefused() {
        HttpProbeSource probes = HttpProbeSource.of(Map.of("stable", URI.create("http://127.0.0.1:1")));
        assertThatThrownBy(() -> probes.measure(CanaryMetric.of("x", "probes", "throughput", Direction.HIGHER_IS_BETTER), CTX))
                .hasMessageContaining("is not a probe measure");
        assertThatThrownBy(() -> probes.measure(ERRORS, CTX)).isInstanceOf(MetricSourceException.class)
                .hasMessage("probes: no URL for 'canary'; known: [stable]");
        assertThatThrownBy(() -> HttpProbeSource.of(Map.of("stable", URI.create("ftp://x"))))
                .hasMessageContaining("must be http(s)");
    }

    @Test
    void targetsBehindAPathPrefixAreProbedUnderTheirOwnPath() throws Exception {
        // one server, two versions under their own prefixes: a path that replaced the prefix would probe "/" for both
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 50);
        java.util.concurrent.ConcurrentLinkedQueue<String> paths = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (String prefix : List.of("/stable", "/canary", "/")) {
            int status = prefix.equals("/canary") ? 500 : prefix.equals("/") ? 404 : 200;
            server.createContext(prefix, ex -> {
                paths.add(ex.getRequestURI().getPath());
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
        }
        server.start();
        try {
            String root = "http://127.0.0.1:" + server.getAddress().getPort();
            HttpProbeSource probes = new HttpProbeSource("probes", Map.of("stable", URI.create(root + "/stable"),
                    "canary", URI.create(root + "/canary/")), 20, 4, Duration.ofSeconds(5));
            MetricSamples errors = probes.measure(ERRORS, CTX);
            assertThat(errors.canary()).hasSize(20).containsOnly(1.0);
            assertThat(errors.baseline()).hasSize(20).containsOnly(0.0);
            assertThat(paths).contains("/stable/", "/canary/").doesNotContain("/");
        } finally {
            server.stop(0);
        }
        assertThat(HttpProbeSource.under(URI.create("http://h:8080"), "/health")).hasToString("http://h:8080/health");
        assertThat(HttpProbeSource.under(URI.create("http://h:8080/"), "/")).hasToString("http://h:8080/");
        assertThat(HttpProbeSource.under(URI.create("http://h/orders"), "/health")).hasToString("http://h/orders/health");
        assertThat(HttpProbeSource.under(URI.create("https://h/orders/"), "/v1/x")).hasToString("https://h/orders/v1/x");
        assertThat(HttpProbeSource.under(URI.create("http://h/a%20b?tenant=1"), "/")).hasToString("http://h/a%20b/?tenant=1");
    }
}
