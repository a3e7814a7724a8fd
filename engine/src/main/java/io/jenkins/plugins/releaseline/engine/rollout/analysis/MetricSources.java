package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryArguments;
import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;

/**
 * Builds the metric sources a canary's analysis needs from its arguments: the built-in probes, Prometheus and
 * CloudWatch, each with connect and read timeouts so that an analysis never waits on a source without bound.
 * Credentials come in already resolved ({@link Secrets}): the pipeline step looks them up in Jenkins, the command
 * line has none. Every error names the argument.
 */
public final class MetricSources {

    /** Connect and read timeout of every call to a metric source. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** CloudWatch's default period: one datapoint a minute. */
    public static final int DEFAULT_CLOUDWATCH_PERIOD = 60;

    /**
     * What the caller resolved from the credential ids of the arguments.
     *
     * @param prometheusToken a bearer token for Prometheus, or null
     * @param aws             credentials for CloudWatch, or null for the SDK's default chain
     */
    public record Secrets(String prometheusToken, AwsCredentialsProvider aws) {
        public static final Secrets NONE = new Secrets(null, null);
    }

    private MetricSources() {}

    /** The analysis of {@code args}: its metrics, judged by the default judge, with the sources they use. */
    public static CanaryAnalysis analysis(CanaryArguments args, Secrets secrets) {
        Set<String> used = args.metrics().stream().map(CanaryMetric::source).collect(Collectors.toSet());
        List<MetricSource> sources = new ArrayList<>();
        if (used.contains(HttpProbeSource.ID)) {
            sources.add(new HttpProbeSource(HttpProbeSource.ID, args.probeUrls(), args.probeCount(), 4, Duration.ofSeconds(5)));
        }
        if (used.contains("prometheus")) {
            sources.add(prometheus(args, secrets == null ? null : secrets.prometheusToken()));
        }
        if (used.contains("cloudwatch")) {
            sources.add(new CloudWatchSource("cloudwatch", cloudWatchClient(args.cloudWatch(), secrets == null ? null : secrets.aws()),
                    cloudWatchPeriod(args.cloudWatch().get("period"))));
        }
        return new CanaryAnalysis(args.metrics(), sources, CanaryJudge.defaults());
    }

    static PrometheusSource prometheus(CanaryArguments args, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (token != null && !token.isEmpty()) {
            headers.put("Authorization", "Bearer " + token);
        }
        return new PrometheusSource("prometheus", URI.create(args.prometheus().get("url")), args.prometheusStep(), TIMEOUT, headers);
    }

    /** The CloudWatch client of {@code settings} ({@code region}, {@code endpoint}): URLConnection, timeouts, no SDK retries
     * (the analysis retries an inconclusive result itself). */
    public static CloudWatchClient cloudWatchClient(Map<String, String> settings, AwsCredentialsProvider credentials) {
        String region = settings.get("region");
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("cloudwatch.region: required, e.g. 'eu-west-1'");
        }
        CloudWatchClientBuilder builder = CloudWatchClient.builder()
                .region(Region.of(region.strip()))
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(TIMEOUT).socketTimeout(TIMEOUT))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(TIMEOUT.multipliedBy(2)));
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        String endpoint = settings.get("endpoint");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(endpoint("cloudwatch.endpoint", endpoint));
        }
        return builder.build();
    }

    /** {@link #cloudWatchPeriod(String, String)} for the argument {@code cloudwatch.period}; null or blank is 60 seconds. */
    public static int cloudWatchPeriod(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_CLOUDWATCH_PERIOD;
        }
        return cloudWatchPeriod("cloudwatch.period", text);
    }

    /**
     * Reads a CloudWatch period, the one parser of every step and command: whole seconds ({@code 60}, also as a
     * Groovy decimal {@code 60.0}, or {@code 60s}) or a duration ({@code 1m}); CloudWatch accepts 1, 5, 10, 30 or a
     * multiple of 60 up to a day. Errors name {@code field} as the user wrote it.
     */
    public static int cloudWatchPeriod(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + ": must be given in seconds: 1, 5, 10, 30 or a multiple of 60");
        }
        String t = text.strip();
        long seconds;
        if (t.matches("\\d{1,7}(\\.0+)?s?")) {
            seconds = Long.parseLong(t.replaceAll("(\\.0+)?s?$", ""));
        } else if (t.matches("\\d{0,7}\\.\\d+s?")) {
            throw new IllegalArgumentException(field + ": " + Inputs.printable(t) + " must be a whole number of seconds");
        } else {
            Duration d;
            try {
                d = io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryPlanParser.duration(field + ": ", t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": '" + Inputs.printable(t)
                        + "' is not a number of seconds (60) or a duration (1m)");
            }
            if (d.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException(field + ": '" + Inputs.printable(t) + "' is not a whole number of seconds");
            }
            seconds = d.toSeconds();
        }
        if (!(seconds == 1 || seconds == 5 || seconds == 10 || seconds == 30 || (seconds > 0 && seconds % 60 == 0 && seconds <= 86_400))) {
            throw new IllegalArgumentException(field + ": " + seconds
                    + " s is not one CloudWatch accepts (1, 5, 10, 30 or a multiple of 60 up to a day)");
        }
        return (int) seconds;
    }

    private static URI endpoint(String field, String value) {
        URI u;
        try {
            u = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": '" + Inputs.printable(value) + "' is not a URL");
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException(field + ": '" + Inputs.printable(value) + "' is not an http(s) URL");
        }
        return u;
    }
}
