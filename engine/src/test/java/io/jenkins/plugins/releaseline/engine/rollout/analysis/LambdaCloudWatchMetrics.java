package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loopback CloudWatch {@code GetMetricData} endpoint serving a Lambda function's per-version metrics: a
 * query whose expression names {@code ExecutedVersion="N"} (or {@code = 'N'}) is answered with {@code series.apply("N")}, the
 * datapoints of that version over the window (e.g. its error rate per period).
 */
public final class LambdaCloudWatchMetrics implements AutoCloseable {

    private static final Pattern VERSION = Pattern.compile("ExecutedVersion\\s*=\\s*[\"']([^\"']*)[\"']");
    private final CloudWatchEndpoint endpoint;

    public LambdaCloudWatchMetrics(Function<String, double[]> series) {
        try {
            endpoint = new CloudWatchEndpoint(expression -> {
                Matcher m = VERSION.matcher(expression);
                return m.find() ? new CloudWatchEndpoint.Answer(series.apply(m.group(1)), "Complete")
                        : new CloudWatchEndpoint.Answer(new double[0], "Complete");
            }, 500);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return endpoint.url();
    }

    /** How many GetMetricData calls arrived. */
    public int requests() {
        return endpoint.requests.size();
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
