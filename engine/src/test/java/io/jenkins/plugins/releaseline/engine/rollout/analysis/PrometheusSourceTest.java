package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.testing.LoadGenerator;
import io.jenkins.plugins.releaseline.engine.testing.Ports;
import io.jenkins.plugins.releaseline.engine.testing.PrometheusServer;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Prometheus source against a real Prometheus scraping two test apps (one failing 5% of requests). */
class PrometheusSourceTest {

    static final String ERROR_RATIO = "(sum(rate(app_requests_total{colour=\"{{version}}\",code=~\"5..\"}[3s])) or vector(0))"
            + " / sum(rate(app_requests_total{colour=\"{{version}}\"}[3s]))";

    static TestApp stable;
    static TestApp canary;
    static PrometheusServer prometheus;
    static Instant loadStart;
    static Instant loadEnd;

    @BeforeAll
    static void start() throws Exception {
        stable = TestApp.start("stable", "1.0");
        canary = TestApp.start("canary", "2.0").failFraction(0.05);
        prometheus = PrometheusServer.scraping(stable.url() + "/metrics", canary.url() + "/metrics");
        prometheus.awaitUp(Duration.ofSeconds(60));
        loadStart = Instant.now();
        try (LoadGenerator a = LoadGenerator.start(stable.url() + "/", 2, Duration.ofMillis(2), Duration.ofSeconds(7), 100_000);
             LoadGenerator b = LoadGenerator.start(canary.url() + "/", 2, Duration.ofMillis(2), Duration.ofSeconds(7), 100_000)) {
            a.awaitDone(Duration.ofSeconds(30));
            b.awaitDone(Duration.ofSeconds(30));
        }
        Thread.sleep(2_500); // two more scrapes, so that the last second of load is in the TSDB
        loadEnd = Instant.now();
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (stable != null) {
            stable.close();
        }
        if (canary != null) {
            canary.close();
        }
    }

    private static AnalysisContext window() {
        return new AnalysisContext("canary", "stable", loadStart.plusSeconds(3), loadEnd.minusSeconds(2));
    }

    @Test
    void aRangeQueryGivesOneSamplePerStepForEachSide() {
        PrometheusSource source = new PrometheusSource("prom", prometheus.url());
        CanaryMetric errors = CanaryMetric.of("error-rate", "prom", ERROR_RATIO, Direction.LOWER_IS_BETTER).withMinSamples(3);
        MetricSamples s = source.measure(errors, window());
        assertThat(s.canary().length).as("samples of %s", Arrays.toString(s.canary())).isGreaterThanOrEqualTo(3);
        assertThat(s.baseline().length).isGreaterThanOrEqualTo(3);
        assertThat(Arrays.stream(s.canary()).filter(Double::isFinite).average().orElseThrow()).isBetween(0.02, 0.09);
        assertThat(Arrays.stream(s.baseline()).filter(Double::isFinite).max().orElseThrow()).isEqualTo(0.0);
        MetricResult judged = CanaryJudge.defaults().judge(errors.withThreshold(Aggregate.MEAN, 0.01).withCompare(false), s);
        assertThat(judged.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(judged.reason()).contains("over the limit 0.01");
    }

    /** Prometheus answers "+Inf" (as for a latency off the scale): the source keeps it and the judge fails on it. */
    @Test
    void anInfiniteAnswerIsTheWorstValueNotNoData() {
        PrometheusSource source = new PrometheusSource("prom", prometheus.url());
        CanaryMetric p99 = CanaryMetric.of("p99-latency", "prom",
                "instant: vector(1 / 0) + 0 * count(app_requests_total{colour=\"{{version}}\"})",
                Direction.LOWER_IS_BETTER).withThreshold(Aggregate.P99, 0.5).withCompare(false).withMinSamples(1);
        MetricSamples s = source.measure(p99, window());
        assertThat(s.canary()).containsExactly(Double.POSITIVE_INFINITY);
        MetricResult judged = CanaryJudge.defaults().judge(p99, s);
        assertThat(judged.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(judged.reason()).startsWith("canary p99 inf is over the limit 0.5");
    }

    @Test
    void anInstantQueryGivesOneSamplePerSeries() {
        PrometheusSource source = new PrometheusSource("prom", prometheus.url());
        CanaryMetric served = CanaryMetric.of("served", "prom",
                "instant: sum(app_requests_total{colour=\"{{version}}\"})", Direction.HIGHER_IS_BETTER);
        MetricSamples s = source.measure(served, window());
        assertThat(s.canary()).hasSize(1);
        assertThat(s.canary()[0]).isGreaterThan(100);
        assertThat(s.baseline()).hasSize(1);
    }

    @Test
    void aQueryWithoutDataIsEmptyNotZero() {
        PrometheusSource source = new PrometheusSource("prom", prometheus.url());
        CanaryMetric missing = CanaryMetric.of("missing", "prom", "rate(no_such_metric{v=\"{{version}}\"}[5s])", Direction.LOWER_IS_BETTER);
        MetricSamples s = source.measure(missing, window());
        assertThat(s.canary()).isEmpty();
        assertThat(CanaryJudge.defaults().judge(missing, s).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void aRefusedQueryAndAnUnreachableServerAreErrorsThatSayWhy() {
        PrometheusSource source = new PrometheusSource("prom", prometheus.url());
        CanaryMetric broken = CanaryMetric.of("broken", "prom", "sum(rate(x[5s]", Direction.LOWER_IS_BETTER);
        assertThatThrownBy(() -> source.measure(broken, window()))
                .isInstanceOf(MetricSourceException.class)
                .hasMessageContaining("Prometheus refused 'sum(rate(x[5s]' (400 bad_data)");
        PrometheusSource down = new PrometheusSource("prom", URI.create("http://127.0.0.1:" + Ports.free()));
        assertThatThrownBy(() -> down.measure(broken, window()))
                .isInstanceOf(MetricSourceException.class)
                .hasMessageContaining("is unreachable");
        AnalysisReport report = new CanaryAnalysis(List.of(broken), List.of(down), CanaryJudge.defaults()).run(window());
        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.metrics().get(0).reason()).startsWith("no data: prom: Prometheus at http://127.0.0.1:");
    }

    @Test
    void labelsAreQuotedForPromQL() {
        assertThat(PrometheusSource.promString("a\"b\\c")).isEqualTo("a\\\"b\\\\c");
        AnalysisContext ctx = new AnalysisContext("can", "base", Instant.EPOCH, Instant.EPOCH.plusMillis(29_001));
        assertThat(ctx.render("x{v=\"{{version}}\"}[{{window}}]", "can", PrometheusSource::promString))
                .isEqualTo("x{v=\"can\"}[30s]");
    }
}
