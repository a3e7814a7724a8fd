package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRuntimeApi;
import io.jenkins.plugins.releaseline.engine.rollout.router.RetryPolicy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Aggregate;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudge;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Direction;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.HttpProbeSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.PrometheusSource;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.HaproxyServer;
import io.jenkins.plugins.releaseline.engine.testing.LoadGenerator;
import io.jenkins.plugins.releaseline.engine.testing.PrometheusServer;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestApp;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canaries end to end with real servers on loopback: HAProxy (its Runtime API moves the weights, its Prometheus
 * exporter reports per-server responses), Prometheus scraping it (and the apps' response-time histograms) every
 * second, a stable
 * test app and a canary app that is either good or bad (5% of requests answer 500, 50 ms slower), and steady
 * load through HAProxy. A bad canary is rolled back at its first analysis, naming the metric; a good one
 * reaches 100%. Both with Prometheus and with the built-in probes. The time from the failing analysis to
 * HAProxy at 0% is printed (it is measured, not asserted).
 */
class CanaryWithRealServersTest {

    /** Error ratio of each second, from HAProxy's per-server response counters. */
    static final String HAPROXY_ERROR_RATIO =
            "sum(rate(haproxy_server_http_responses_total{proxy=\"app\",server=\"{{version}}\",code=\"5xx\"}[3s]))"
                    + " / sum(rate(haproxy_server_http_responses_total{proxy=\"app\",server=\"{{version}}\"}[3s]))";
    /**
     * Mean response time of each second, from the apps' own histograms. (HAProxy's
     * {@code haproxy_server_response_time_average_seconds} is a sliding average over 1,024 requests that starts
     * at 0: at a 10% canary it takes minutes of traffic to approach the real value, too slow for a first step.)
     */
    static final String APP_RESPONSE_TIME =
            "sum(rate(app_request_duration_seconds_sum{colour=\"{{version}}\"}[3s]))"
                    + " / sum(rate(app_request_duration_seconds_count{colour=\"{{version}}\"}[3s]))";

    @TempDir
    Path folder;

    TestApp stable;
    TestApp canary;
    HaproxyServer haproxy;
    HaproxyRouter router;
    PrometheusServer prometheus;
    LoadGenerator load;
    Store store;
    CanaryController controller;

    @BeforeEach
    void start() {
        stable = TestApp.start("stable", "1.0");
        canary = TestApp.start("canary", "2.0");
        haproxy = HaproxyServer.builder().server("stable", stable.port(), 100).server("canary", canary.port(), 0).start();
        router = new HaproxyRouter("prod-lb", HaproxyRuntimeApi.unix(haproxy.adminSocket(), Duration.ofSeconds(5)), "app",
                List.of("stable", "canary"), RetryPolicy.DEFAULT);
        store = StoreTarget.h2(folder).open("c1");
        controller = new CanaryController(store, new AuditTrail(store, Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        if (load != null) {
            load.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        store.close();
        haproxy.close();
        stable.close();
        canary.close();
    }

    private void makeCanaryBad() {
        canary.failFraction(0.05).delay(Duration.ofMillis(50));
    }

    private void startLoad() {
        load = LoadGenerator.start(haproxy.frontendUrl() + "/", 6, Duration.ofMillis(2), Duration.ofMinutes(3), 10_000_000);
    }

    private CanaryAnalysis prometheusAnalysis() {
        prometheus = PrometheusServer.scraping(haproxy.metricsUrl(), stable.url() + "/metrics", canary.url() + "/metrics");
        prometheus.awaitUp(Duration.ofSeconds(60));
        MetricSource source = new PrometheusSource("prometheus", prometheus.url());
        CanaryMetric errors = CanaryMetric.of("error-rate", "prometheus", HAPROXY_ERROR_RATIO, Direction.LOWER_IS_BETTER)
                .withThreshold(Aggregate.MEAN, 0.01).withTolerance(0.10, 0.005).withMinSamples(5);
        CanaryMetric latency = CanaryMetric.of("response-time", "prometheus", APP_RESPONSE_TIME, Direction.LOWER_IS_BETTER)
                .withTolerance(0.10, 0.010).withMinSamples(5);
        return new CanaryAnalysis(List.of(errors, latency), List.of(source), CanaryJudge.defaults());
    }

    private CanaryAnalysis probeAnalysis() {
        MetricSource probes = HttpProbeSource.of(Map.of("stable", URI.create(stable.url()), "canary", URI.create(canary.url())));
        CanaryMetric errors = CanaryMetric.of("error-rate", HttpProbeSource.ID, "error-rate /", Direction.LOWER_IS_BETTER)
                .withThreshold(Aggregate.MEAN, 0.01).withTolerance(0.10, 0.005);
        // Probe latencies on this shared 2-core machine (load average 15-25 while the suites run) differ between
        // two identical apps by tens of milliseconds, so the probes' latency only fails far beyond that noise;
        // the bad version is caught by its errors here, and its 50 ms by the Prometheus test's histogram.
        CanaryMetric latency = CanaryMetric.of("latency", HttpProbeSource.ID, "latency /", Direction.LOWER_IS_BETTER)
                .withTolerance(0.10, 100.0);
        return new CanaryAnalysis(List.of(errors, latency), List.of(probes), CanaryJudge.defaults());
    }

    private CanaryRollout run(String id, String plan, CanaryAnalysis analysis) throws InterruptedException {
        controller.start("alice", CanarySpec.of(id, "prod-lb", "stable", "canary", CanaryPlan.parse(plan)));
        return controller.run(id, router, analysis, Duration.ofMillis(200));
    }

    private void assertRolledBackAtTheFirstAnalysis(String id, CanaryRollout r, String metric, String how) {
        assertThat(r.state()).as(r.reason()).isEqualTo(CanaryState.ROLLED_BACK);
        assertThat(r.stepIndex()).as("rolled back at the first step").isZero();
        assertThat(r.reason()).contains(metric + " FAIL");
        assertThat(router.read().of("canary")).isZero();
        assertThat(router.weights()).containsEntry("stable", 100).containsEntry("canary", 0);
        List<CanaryEvent> events = controller.events(id);
        CanaryEvent failed = events.stream().filter(e -> e.kind() == CanaryEvent.Kind.ANALYSIS).findFirst().orElseThrow();
        assertThat(failed.verdict()).isEqualTo("FAIL");
        CanaryEvent rolledBack = events.stream().filter(e -> e.kind() == CanaryEvent.Kind.ROLLED_BACK).findFirst().orElseThrow();
        System.out.printf(Locale.ROOT, "canary rollback time (%s): %d ms from the failing analysis to HAProxy at 0%% canary%n",
                how, Duration.between(failed.at(), rolledBackAtRouter(rolledBack)).toMillis());
    }

    /** The ROLLED_BACK event is written right after HAProxy read back 0% (the router's apply confirms the weights). */
    private static java.time.Instant rolledBackAtRouter(CanaryEvent e) {
        return e.at();
    }

    @Test
    void aBadCanaryIsRolledBackByThePrometheusAnalysis() throws Exception {
        makeCanaryBad();
        CanaryAnalysis analysis = prometheusAnalysis();
        startLoad();
        CanaryRollout r = run("bad-prometheus", "10%/8s, 50%/8s, 100%", analysis);
        assertRolledBackAtTheFirstAnalysis("bad-prometheus", r, "error-rate", "Prometheus");
        assertThat(r.reason()).contains("response-time FAIL");
        assertThat(load.byColour()).containsKey("canary");
    }

    @Test
    void aGoodCanaryReachesAllTrafficWithPrometheus() throws Exception {
        CanaryAnalysis analysis = prometheusAnalysis();
        startLoad();
        CanaryRollout r = run("good-prometheus", "10%/8s, 50%/8s, 100%", analysis);
        assertThat(r.state()).as(r.reason()).isEqualTo(CanaryState.SUCCEEDED);
        assertThat(router.weights()).containsEntry("stable", 0).containsEntry("canary", 100);
        assertThat(controller.events("good-prometheus").stream().filter(e -> e.kind() == CanaryEvent.Kind.ANALYSIS)
                .map(CanaryEvent::verdict)).containsExactly("PASS", "PASS");
        assertThat(load.failed()).isZero();
    }

    @Test
    void aBadCanaryIsRolledBackByTheBuiltInProbes() throws Exception {
        makeCanaryBad();
        startLoad();
        CanaryRollout r = run("bad-probes", "10%/3s, 50%/3s, 100%", probeAnalysis());
        assertRolledBackAtTheFirstAnalysis("bad-probes", r, "error-rate", "built-in probes");
    }

    @Test
    void aGoodCanaryReachesAllTrafficWithTheBuiltInProbes() throws Exception {
        startLoad();
        CanaryRollout r = run("good-probes", "10%/3s, 50%/3s, 100%", probeAnalysis());
        assertThat(r.state()).as(r.reason()).isEqualTo(CanaryState.SUCCEEDED);
        assertThat(router.weights()).containsEntry("canary", 100);
        assertThat(load.failed()).isZero();
    }

    /** Prometheus dies during the canary: the analyses have no data, are retried, and the canary is rolled back, never promoted. */
    @Test
    void prometheusDownMeansRetriesThenRollbackNeverPromotion() throws Exception {
        CanaryAnalysis analysis = prometheusAnalysis();
        startLoad();
        controller.start("alice", CanarySpec.of("prom-down", "prod-lb", "stable", "canary",
                CanaryPlan.parse("10%/4s, 100%").withInconclusiveRetries(2, Duration.ofSeconds(1))));
        CanaryRollout r = controller.advance("prom-down", router, analysis);
        assertThat(router.read().of("canary")).isEqualTo(10);
        prometheus.stop();
        r = controller.run("prom-down", router, analysis, Duration.ofMillis(200));
        assertThat(r.state()).isEqualTo(CanaryState.ROLLED_BACK);
        assertThat(r.reason()).contains("no judgement after 3 analyses").contains("is unreachable");
        assertThat(router.weights()).containsEntry("stable", 100).containsEntry("canary", 0);
        assertThat(controller.events("prom-down").stream().filter(e -> e.kind() == CanaryEvent.Kind.ANALYSIS)
                .map(CanaryEvent::verdict)).containsExactly("INCONCLUSIVE", "INCONCLUSIVE", "INCONCLUSIVE");
    }
}
