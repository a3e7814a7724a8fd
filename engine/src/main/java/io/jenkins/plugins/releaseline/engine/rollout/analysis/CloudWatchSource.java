package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MessageData;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * Amazon CloudWatch through {@code GetMetricData}. A metric's query is a CloudWatch metric-math or Metrics
 * Insights expression in which {@code {{version}}} becomes the side's label (a target group, an alias
 * version), e.g. {@code SELECT AVG(TargetResponseTime) FROM "AWS/ApplicationELB" WHERE TargetGroup = '{{version}}'}.
 * Canary and baseline are asked for in one request (ids {@code canary} and {@code baseline}), every datapoint
 * of the window is a sample, pages are followed, and a result CloudWatch marks as an internal error or
 * forbidden is an error, not an empty series.
 */
public final class CloudWatchSource implements MetricSource {

    private static final int MAX_PAGES = 50;

    private final String id;
    private final CloudWatchClient client;
    private final int periodSeconds;

    /**
     * @param client        built by the caller with its region, credentials and (for tests or VPC endpoints) an
     *                      endpoint override
     * @param periodSeconds the granularity of the datapoints (1, 5, 10, 30 or a multiple of 60)
     */
    public CloudWatchSource(String id, CloudWatchClient client, int periodSeconds) {
        this.id = Objects.requireNonNull(id, "id");
        this.client = Objects.requireNonNull(client, "client");
        if (!(periodSeconds == 1 || periodSeconds == 5 || periodSeconds == 10 || periodSeconds == 30
                || (periodSeconds > 0 && periodSeconds % 60 == 0))) {
            throw new IllegalArgumentException("cloudwatch period: " + periodSeconds
                    + " s is not one CloudWatch accepts (1, 5, 10, 30 or a multiple of 60)");
        }
        this.periodSeconds = periodSeconds;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public MetricSamples measure(CanaryMetric metric, AnalysisContext ctx) {
        List<MetricDataQuery> queries = new ArrayList<>();
        queries.add(query("canary", metric.query(), ctx.canaryLabel(), ctx));
        if (metric.compare()) {
            queries.add(query("baseline", metric.query(), ctx.baselineLabel(), ctx));
        }
        List<Double> canary = new ArrayList<>();
        List<Double> baseline = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            GetMetricDataRequest request = GetMetricDataRequest.builder()
                    .startTime(ctx.start())
                    .endTime(ctx.end())
                    .metricDataQueries(queries)
                    .nextToken(token)
                    .build();
            GetMetricDataResponse response;
            try {
                response = client.getMetricData(request);
            } catch (SdkException e) {
                throw new MetricSourceException("CloudWatch GetMetricData failed: " + e.getMessage(), e);
            }
            for (MetricDataResult r : response.metricDataResults()) {
                if (r.statusCode() == StatusCode.INTERNAL_ERROR || r.statusCode() == StatusCode.FORBIDDEN) {
                    throw new MetricSourceException("CloudWatch could not compute '" + r.id() + "' (" + r.statusCodeAsString()
                            + "): " + messages(r.messages()));
                }
                List<Double> side = "canary".equals(r.id()) ? canary : "baseline".equals(r.id()) ? baseline : null;
                if (side == null) {
                    throw new MetricSourceException("CloudWatch answered a query it was not asked ('" + r.id() + "')");
                }
                for (Double v : r.values()) {
                    side.add(v == null ? Double.NaN : v); // a missing value is no data; +-Inf stays for the judge
                }
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty() && ++pages < MAX_PAGES);
        return MetricSamples.of(canary.stream().mapToDouble(Double::doubleValue).toArray(),
                baseline.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private MetricDataQuery query(String queryId, String template, String label, AnalysisContext ctx) {
        return MetricDataQuery.builder()
                .id(queryId)
                .expression(ctx.render(template, label, CloudWatchSource::quoted))
                .period(periodSeconds)
                .returnData(true)
                .build();
    }

    /** Label values go into single- or double-quoted strings of an expression; quotes in them are escaped. */
    static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("'", "\\'").replace("\"", "\\\"");
    }

    private static String messages(List<MessageData> messages) {
        return messages.isEmpty() ? "no message" : messages.stream().map(m -> m.code() + ": " + m.value()).collect(Collectors.joining("; "));
    }

    @Override
    public String toString() {
        return "CloudWatch " + id + " (period " + periodSeconds + " s)";
    }
}
