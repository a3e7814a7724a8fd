package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Prometheus through its HTTP API. A metric's query is PromQL in which {@code {{version}}} becomes the side's
 * label (quoted for a PromQL string) and {@code {{window}}} the window ({@code 30s}):
 * <ul>
 *   <li>by default a range query ({@code /api/v1/query_range}) over the analysis window, one sample per series
 *       per {@code step}: e.g. the error ratio of each second;</li>
 *   <li>with the prefix {@code instant:}, an instant query ({@code /api/v1/query}) at the window's end, one
 *       sample per series.</li>
 * </ul>
 * NaN and infinite values are returned as they are: NaN (a 0/0 ratio in a second without traffic) is no data and
 * the judge drops it; {@code +Inf} (what {@code histogram_quantile} answers when the quantile lies past the last
 * bucket, i.e. the slowest canary) and {@code -Inf} are off the scale and the judge counts them as the worst value.
 */
public final class PrometheusSource implements MetricSource {

    public static final String INSTANT_PREFIX = "instant:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String id;
    private final URI base;
    private final Duration step;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final HttpClient client;

    /**
     * @param base    e.g. {@code http://prometheus:9090}
     * @param step    the resolution of range queries
     * @param headers sent with each query (e.g. {@code Authorization}); never logged
     */
    public PrometheusSource(String id, URI base, Duration step, Duration timeout, Map<String, String> headers) {
        this.id = Objects.requireNonNull(id, "id");
        if (base == null || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))) {
            throw new IllegalArgumentException("prometheus url: '" + base + "' must be an http(s) URL such as http://prometheus:9090");
        }
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        if (step == null || step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("prometheus step: " + step + " must be positive");
        }
        this.step = step;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.headers = Map.copyOf(headers == null ? Map.of() : headers);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public PrometheusSource(String id, URI base) {
        this(id, base, Duration.ofSeconds(1), Duration.ofSeconds(10), Map.of());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public MetricSamples measure(CanaryMetric metric, AnalysisContext ctx) {
        double[] canary = query(metric.query(), ctx.canaryLabel(), ctx);
        double[] baseline = metric.compare() ? query(metric.query(), ctx.baselineLabel(), ctx) : new double[0];
        return MetricSamples.of(canary, baseline);
    }

    /** Escapes a label value for a double-quoted PromQL string. */
    static String promString(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private double[] query(String template, String label, AnalysisContext ctx) {
        boolean instant = template.startsWith(INSTANT_PREFIX);
        String promql = ctx.render(instant ? template.substring(INSTANT_PREFIX.length()).strip() : template, label,
                PrometheusSource::promString);
        String form;
        String path;
        if (instant) {
            path = "/api/v1/query";
            form = "query=" + enc(promql) + "&time=" + seconds(ctx.end());
        } else {
            path = "/api/v1/query_range";
            form = "query=" + enc(promql) + "&start=" + seconds(ctx.start()) + "&end=" + seconds(ctx.end())
                    + "&step=" + (step.toMillis() / 1000.0);
        }
        JsonNode data = post(path, form, promql);
        return values(data, promql);
    }

    private JsonNode post(String path, String form, String promql) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(b::header);
        HttpResponse<String> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MetricSourceException("Prometheus at " + base + " is unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetricSourceException("interrupted while querying Prometheus", e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new MetricSourceException("Prometheus at " + base + " answered " + response.statusCode()
                    + " with something other than JSON", e);
        }
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new MetricSourceException("Prometheus refused '" + promql + "' (" + response.statusCode() + " "
                    + body.path("errorType").asText("") + "): " + body.path("error").asText(response.body()));
        }
        return body.path("data");
    }

    private static double[] values(JsonNode data, String promql) {
        String type = data.path("resultType").asText();
        List<Double> out = new ArrayList<>();
        switch (type) {
            case "matrix" -> data.path("result").forEach(series -> series.path("values").forEach(v -> out.add(number(v.get(1)))));
            case "vector" -> data.path("result").forEach(series -> out.add(number(series.path("value").get(1))));
            case "scalar" -> out.add(number(data.path("result").get(1)));
            default -> throw new MetricSourceException("Prometheus answered '" + promql + "' with a " + type
                    + "; use a query that returns numbers");
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double number(JsonNode v) {
        String s = v == null ? "NaN" : v.asText();
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "+inf", "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static String seconds(Instant t) {
        return String.format(Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Prometheus " + id + " at " + base + " (headers " + headers.keySet().stream().collect(Collectors.joining(", ")) + ")";
    }
}
