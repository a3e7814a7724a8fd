package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSources;

import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudge;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CloudWatchSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSource;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The metric sources of a Lambda canary: {@code lambda-invoke} (the analysis invokes each version itself) and
 * {@code cloudwatch} ({@code GetMetricData} in the function's region with the function's credentials, unless
 * {@code cloudwatch: [endpoint:]} says otherwise). The CloudWatch client has the connection's connect, read and
 * call timeouts; close this to close it.
 */
public final class LambdaMetricSources implements AutoCloseable {

    /** What {@code cloudwatch: [period:, endpoint:]} says; {@code endpoint} null for the region's own. */
    public record CloudWatch(int periodSeconds, URI endpoint) {
        public CloudWatch {
            periodSeconds = period("cloudwatch.period", String.valueOf(periodSeconds));
        }

        public static CloudWatch defaults() {
            return new CloudWatch(60, null);
        }
    }

    private final CloudWatchClient cloudWatch;
    private final CanaryAnalysis analysis;

    /**
     * @param lambda      the function's client (for {@code lambda-invoke}); not closed here
     * @param connection  region, credentials and timeouts for CloudWatch
     */
    public LambdaMetricSources(List<CanaryMetric> metrics, LambdaClient lambda, String function, int invocations,
                               LambdaConnection connection, CloudWatch settings) {
        Objects.requireNonNull(metrics, "metrics");
        CloudWatch cw = settings == null ? CloudWatch.defaults() : settings;
        List<MetricSource> sources = new ArrayList<>();
        sources.add(new LambdaInvokeSource(new LambdaInvokeProbe(lambda), function, invocations));
        CloudWatchClient client = null;
        if (metrics.stream().anyMatch(m -> m.source().equals("cloudwatch"))) {
            var builder = CloudWatchClient.builder()
                    .region(Region.of(connection.region()))
                    .credentialsProvider(connection.credentialsOrDefault())
                    .httpClientBuilder(connection.httpClient())
                    .overrideConfiguration(connection.overrides());
            if (cw.endpoint() != null) {
                builder.endpointOverride(cw.endpoint());
            }
            client = builder.build();
            sources.add(new CloudWatchSource("cloudwatch", client, cw.periodSeconds()));
        }
        this.cloudWatch = client;
        this.analysis = new CanaryAnalysis(metrics, sources, CanaryJudge.defaults());
    }

    public CanaryAnalysis analysis() {
        return analysis;
    }

    /** A CloudWatch period: {@link MetricSources#cloudWatchPeriod(String, String)}, the parser every step shares. */
    public static int period(String field, String value) {
        return MetricSources.cloudWatchPeriod(field, value);
    }

    @Override
    public void close() {
        if (cloudWatch != null) {
            cloudWatch.close();
        }
    }
}
