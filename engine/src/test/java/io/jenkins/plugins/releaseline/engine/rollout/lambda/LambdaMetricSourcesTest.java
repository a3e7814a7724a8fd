package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Direction;
import io.jenkins.plugins.releaseline.engine.testing.LambdaApiServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;

class LambdaMetricSourcesTest {

    @Test
    void periodsAreThoseCloudWatchAcceptsAndErrorsNameTheField() {
        assertThat(LambdaMetricSources.period("cloudwatch.period", "60")).isEqualTo(60);
        assertThat(LambdaMetricSources.period("cloudwatch.period", " 300s ")).isEqualTo(300);
        assertThat(LambdaMetricSources.period("cloudwatch.period", "10")).isEqualTo(10);
        assertThatThrownBy(() -> LambdaMetricSources.period("cloudwatch.period", "7"))
                .hasMessage("cloudwatch.period: 7 s is not one CloudWatch accepts (1, 5, 10, 30 or a multiple of 60 up to a day)");
        assertThat(LambdaMetricSources.period("cloudwatch.period", "60.0")).as("a Groovy decimal").isEqualTo(60);
        assertThat(LambdaMetricSources.period("cloudwatch.period", "1m")).as("the same parser as canaryDeploy").isEqualTo(60);
        assertThatThrownBy(() -> LambdaMetricSources.period("cloudwatch.period", "a minute"))
                .hasMessage("cloudwatch.period: 'a minute' is not a number of seconds (60) or a duration (1m)");
        assertThatThrownBy(() -> LambdaMetricSources.period("cloudwatch.period", "1.5"))
                .hasMessageStartingWith("cloudwatch.period: 1.5 must be a whole number of seconds");
        assertThatThrownBy(() -> LambdaMetricSources.period("cloudwatch.period", " "))
                .hasMessageStartingWith("cloudwatch.period: must be given");
        assertThatThrownBy(() -> new LambdaMetricSources.CloudWatch(90, null)).hasMessageStartingWith("cloudwatch.period: 90 s");
    }

    @Test
    void theAnalysisHasTheSourcesItsMetricsName() {
        LambdaConnection connection = LambdaConnection.defaultChain(LambdaApiServer.REGION);
        try (LambdaApiServer lambda = LambdaApiServer.start(); LambdaClient client = LambdaTesting.client(lambda)) {
            CanaryMetric invoke = LambdaInvokeSource.errorsMetric("{}", 5);
            CanaryMetric cloudwatch = CanaryMetric.of("errors", "cloudwatch", "SUM(x)", Direction.LOWER_IS_BETTER);
            try (LambdaMetricSources s = new LambdaMetricSources(List.of(invoke), client, "f", 5, connection, null)) {
                assertThat(s.analysis().metrics()).containsExactly(invoke);
            }
            try (LambdaMetricSources s = new LambdaMetricSources(List.of(invoke, cloudwatch), client, "f", 5, connection,
                    new LambdaMetricSources.CloudWatch(60, java.net.URI.create("http://127.0.0.1:1")))) {
                assertThat(s.analysis().metrics()).containsExactly(invoke, cloudwatch);
            }
        }
    }
}
