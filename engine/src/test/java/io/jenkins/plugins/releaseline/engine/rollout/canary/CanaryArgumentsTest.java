package io.jenkins.plugins.releaseline.engine.rollout.canary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.rollout.analysis.Aggregate;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Direction;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.NoData;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pipeline's arguments as Groovy passes them (lists of maps, BigDecimal numbers, text). */
class CanaryArgumentsTest {

    @Test
    void readsAFullPrometheusCanary() {
        Map<String, Object> args = new HashMap<>();
        args.put("router", "prod-lb");
        args.put("plan", "10%/5m, 50%/10m, 100%");
        args.put("maxFailedAnalyses", 2);
        args.put("inconclusiveRetries", 1);
        args.put("retryInterval", "20s");
        args.put("onInconclusive", "pause");
        args.put("analysisDeadline", "15m");
        args.put("prometheus", Map.of("url", "http://prometheus:9090", "step", "5s"));
        args.put("analysis", List.of(Map.of("name", "error-rate", "source", "prometheus", "query", "q1",
                        "threshold", new BigDecimal("0.01"), "absoluteTolerance", new BigDecimal("0.002")),
                Map.of("name", "p99", "source", "prometheus", "query", "q2", "aggregate", "p99", "threshold", 250,
                        "noData", "fail", "critical", true, "direction", "lower")));
        CanaryArguments a = CanaryArguments.parse(args);
        assertThat(a.router()).isEqualTo("prod-lb");
        assertThat(a.plan().stepsText()).isEqualTo("10%/5m, 50%/10m, 100%");
        assertThat(a.plan().maxFailedAnalyses()).isEqualTo(2);
        assertThat(a.plan().onInconclusive()).isEqualTo(CanaryPlan.OnInconclusive.PAUSE);
        assertThat(a.plan().retryInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(a.plan().analysisDeadline()).isEqualTo(Duration.ofMinutes(15));
        assertThat(a.prometheusStep()).isEqualTo(Duration.ofSeconds(5));
        CanaryMetric p99 = a.metrics().get(1);
        assertThat(p99.aggregate()).isEqualTo(Aggregate.P99);
        assertThat(p99.threshold()).isEqualTo(250.0);
        assertThat(p99.noData()).isEqualTo(NoData.FAIL);
        assertThat(p99.critical()).isTrue();
        assertThat(a.metrics().get(0).absoluteTolerance()).isEqualTo(0.002);
        CanarySpec spec = a.spec("job/main#7", "prod-lb");
        assertThat(spec.stableBackend()).isEqualTo("stable");
        assertThat(spec.canaryLabel()).isEqualTo("canary");
    }

    @Test
    void withoutMetricsTheBuiltInProbesAreUsedAndNeedTheirUrls() {
        Map<String, Object> args = new HashMap<>(Map.of("plan", List.of(Map.of("weight", 10, "pause", "30s")),
                "stable", "blue", "canary", "green"));
        assertThatThrownBy(() -> CanaryArguments.parse(args)).hasMessageStartingWith("probes: metric error-rate uses the built-in probes");
        args.put("probes", Map.of("stable", "http://10.0.0.5:8080", "canary", "http://10.0.0.6:8080", "count", 50));
        CanaryArguments a = CanaryArguments.parse(args);
        assertThat(a.router()).as("no router: the block is the router").isNull();
        assertThat(a.metrics()).extracting(CanaryMetric::name).containsExactly("error-rate", "latency");
        assertThat(a.metrics().get(0).direction()).isEqualTo(Direction.LOWER_IS_BETTER);
        assertThat(a.probeUrls()).containsEntry("blue", URI.create("http://10.0.0.5:8080")).containsEntry("green", URI.create("http://10.0.0.6:8080"));
        assertThat(a.probeCount()).isEqualTo(50);
        assertThat(a.plan().stepsText()).isEqualTo("10%/30s, 100%");
    }

    @Test
    void errorsNameTheArgument() {
        assertThatThrownBy(() -> CanaryArguments.parse(Map.of("plan", "10%/5m", "routr", "x")))
                .hasMessageStartingWith("routr: is not an argument of canaryDeploy");
        assertThatThrownBy(() -> CanaryArguments.parse(Map.of())).hasMessageStartingWith("plan: required");
        assertThatThrownBy(() -> CanaryArguments.parse(Map.of("plan", "10%/5m, 150%/1m")))
                .hasMessage("plan: step 2: weight 150 is over 100");
        assertThatThrownBy(() -> CanaryArguments.parse(Map.of("plan", "10%/5m", "onInconclusive", "promote")))
                .hasMessageStartingWith("onInconclusive: 'promote' is not 'rollback' or 'pause'");
        assertThatThrownBy(() -> CanaryArguments.parse(Map.of("plan", "10%/5m", "prometheus", Map.of("url", "http://p:9090"),
                "analysis", List.of(Map.of("name", "e", "source", "prometheus", "query", "q", "threshold", "lots"))))
        ).hasMessage("analysis[1].threshold: 'lots' is not a number");
        assertThatThrownBy(() -> CanaryArguments.parse(Map.of("plan", "10%/5m",
                "analysis", List.of(Map.of("name", "e", "source", "prometheus", "query", "q")))))
                .hasMessageStartingWith("prometheus: metric e uses Prometheus");
        assertThatThrownBy(() -> CanaryArguments.parse(Map.of("plan", "10%/5m",
                "analysis", List.of(Map.of("name", "e", "source", "datadog", "query", "q")))))
                .hasMessageStartingWith("analysis: metric e: source 'datadog' is not one of");
        assertThatThrownBy(() -> CanaryArguments.parse(Map.of("plan", "10%/5m", "prometheus", Map.of("url", "http://p:9090"),
                "analysis", List.of(Map.of("name", "e", "source", "prometheus", "query", "q", "noData", "pass")))))
                .hasMessageStartingWith("analysis[1].noData: 'pass' is not 'inconclusive' or 'fail'");
        assertThatThrownBy(() -> CanaryArguments.parse(Map.of("plan", "10%/5m", "probes", Map.of("stable", "ftp://x", "canary", "http://y"))))
                .hasMessageStartingWith("probes.stable: 'ftp://x' is not an http(s) URL");
    }
}
