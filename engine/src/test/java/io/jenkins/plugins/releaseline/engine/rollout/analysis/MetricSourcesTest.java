package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryArguments;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metric sources of a canary's arguments, and the checks of their settings. */
class MetricSourcesTest {

    @Test
    void theCloudWatchPeriodIsSecondsOrADurationThatCloudWatchAccepts() {
        assertThat(MetricSources.cloudWatchPeriod(null)).isEqualTo(60);
        assertThat(MetricSources.cloudWatchPeriod(" 300 ")).isEqualTo(300);
        assertThat(MetricSources.cloudWatchPeriod("1m")).isEqualTo(60);
        assertThat(MetricSources.cloudWatchPeriod("30s")).isEqualTo(30);
        assertThatThrownBy(() -> MetricSources.cloudWatchPeriod("45")).hasMessage(
                "cloudwatch.period: 45 s is not one CloudWatch accepts (1, 5, 10, 30 or a multiple of 60 up to a day)");
        assertThatThrownBy(() -> MetricSources.cloudWatchPeriod("a minute"))
                .hasMessageStartingWith("cloudwatch.period: 'a minute' is not a number of seconds (60) or a duration (1m)");
        assertThatThrownBy(() -> MetricSources.cloudWatchPeriod("1500ms")).hasMessageStartingWith("cloudwatch.period: ");
    }

    @Test
    void cloudWatchNeedsARegionAndAnHttpEndpoint() {
        assertThatThrownBy(() -> MetricSources.cloudWatchClient(Map.of(), null)).hasMessageStartingWith("cloudwatch.region: ");
        assertThatThrownBy(() -> MetricSources.cloudWatchClient(Map.of("region", "eu-west-1", "endpoint", "ftp://x"), null))
                .hasMessageStartingWith("cloudwatch.endpoint: ");
    }

    @Test
    void eachSourceAMetricUsesIsBuiltAndABadPeriodFailsBeforeAnyCall() {
        CanaryArguments args = CanaryArguments.parse(Map.of("plan", "10%/1m, 100%",
                "prometheus", Map.of("url", "http://127.0.0.1:9090", "step", "1s"),
                "analysis", List.of(Map.of("name", "errors", "source", "prometheus", "query", "up"))));
        CanaryAnalysis analysis = MetricSources.analysis(args, new MetricSources.Secrets("token", null));
        assertThat(analysis).isNotNull();
        CanaryArguments cw = CanaryArguments.parse(Map.of("plan", "10%/1m, 100%",
                "cloudwatch", Map.of("region", "eu-west-1", "period", "90"),
                "analysis", List.of(Map.of("name", "latency", "source", "cloudwatch", "query", "SELECT 1"))));
        assertThatThrownBy(() -> MetricSources.analysis(cw, MetricSources.Secrets.NONE)).hasMessageStartingWith("cloudwatch.period: 90 s");
    }
}
