package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

class CloudWatchSourceTest {

    private static final String QUERY = "SELECT AVG(TargetResponseTime) FROM \"AWS/ApplicationELB\" WHERE TargetGroup = '{{version}}'";
    private static final AnalysisContext CTX = new AnalysisContext("tg-canary", "tg-stable",
            Instant.parse("2026-11-25T03:00:00Z"), Instant.parse("2026-11-25T03:05:00Z"));

    private static CloudWatchClient client(CloudWatchEndpoint endpoint) {
        return CloudWatchClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint.url()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static double[] series(double base, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = base + (i % 7) * 0.001;
        }
        return v;
    }

    @Test
    void getMetricDataOverTheSdksProtocolWithPages() throws Exception {
        try (CloudWatchEndpoint endpoint = new CloudWatchEndpoint(expr -> new CloudWatchEndpoint.Answer(
                expr.contains("'tg-canary'") ? series(0.120, 45) : series(0.060, 45), "Complete"), 20);
             CloudWatchClient client = client(endpoint)) {
            CloudWatchSource source = new CloudWatchSource("cw", client, 1);
            CanaryMetric latency = CanaryMetric.of("latency", "cw", QUERY, Direction.LOWER_IS_BETTER);
            MetricSamples s = source.measure(latency, CTX);
            assertThat(s.canary()).hasSize(45);
            assertThat(s.baseline()).hasSize(45);
            assertThat(s.canary()[0]).isEqualTo(0.120);
            assertThat(endpoint.requests).as("three pages of 20").hasSize(3);
            Map<String, Object> first = endpoint.requests.get(0);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> queries = (List<Map<String, Object>>) first.get("MetricDataQueries");
            assertThat(queries).extracting(q -> q.get("Id")).containsExactly("canary", "baseline");
            assertThat(queries.get(0).get("Expression")).isEqualTo(
                    "SELECT AVG(TargetResponseTime) FROM \"AWS/ApplicationELB\" WHERE TargetGroup = 'tg-canary'");
            assertThat(((Number) first.get("StartTime")).longValue()).isEqualTo(CTX.start().getEpochSecond());
            assertThat(((Number) first.get("EndTime")).longValue()).isEqualTo(CTX.end().getEpochSecond());
            assertThat(endpoint.headers.get(0).get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/");
            assertThat(endpoint.headers.get(0).get("content-type")).isEqualTo("application/cbor");

            AnalysisReport report = new CanaryAnalysis(List.of(latency), List.of(source), CanaryJudge.defaults()).run(CTX);
            assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(report.failedMetrics()).containsExactly("latency");
        }
    }

    @Test
    void anInternalErrorIsAnErrorNotAnEmptySeries() throws Exception {
        try (CloudWatchEndpoint endpoint = new CloudWatchEndpoint(expr -> new CloudWatchEndpoint.Answer(new double[0], "InternalError"), 20);
             CloudWatchClient client = client(endpoint)) {
            CloudWatchSource source = new CloudWatchSource("cw", client, 60);
            assertThatThrownBy(() -> source.measure(CanaryMetric.of("latency", "cw", QUERY, Direction.LOWER_IS_BETTER), CTX))
                    .isInstanceOf(MetricSourceException.class)
                    .hasMessageStartingWith("CloudWatch could not compute 'canary' (InternalError)");
        }
    }

    @Test
    void anUnreachableEndpointIsAMetricSourceError() throws Exception {
        CloudWatchEndpoint endpoint = new CloudWatchEndpoint(expr -> null, 20);
        endpoint.close();
        try (CloudWatchClient client = client(endpoint)) {
            CloudWatchSource source = new CloudWatchSource("cw", client, 60);
            assertThatThrownBy(() -> source.measure(CanaryMetric.of("latency", "cw", QUERY, Direction.LOWER_IS_BETTER), CTX))
                    .isInstanceOf(MetricSourceException.class)
                    .hasMessageStartingWith("CloudWatch GetMetricData failed");
        }
        assertThatThrownBy(() -> new CloudWatchSource("cw", CloudWatchClient.builder().region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create()).build(), 7)).hasMessageContaining("7 s is not one CloudWatch accepts");
    }
}
