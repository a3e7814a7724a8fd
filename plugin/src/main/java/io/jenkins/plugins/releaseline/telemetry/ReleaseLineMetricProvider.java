package io.jenkins.plugins.releaseline.telemetry;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricSet;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.jenkins.plugins.releaseline.engine.telemetry.DeliveryMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import jenkins.metrics.api.MetricProvider;

/**
 * The suite's totals as gauges of the metrics plugin (optional), which the prometheus plugin exports at
 * {@code /prometheus/}. The metrics plugin registers a provider's set once, so the names here are fixed; the
 * per-environment series are at {@code /release-line/prometheus}.
 */
@Extension(optional = true)
public class ReleaseLineMetricProvider extends MetricProvider {

    private static final List<String> OUTCOMES =
            List.of("deployed", "failed", "rolled_back", "verified", "refused", "rejected", "cancelled");
    private static final List<String> VERDICTS = List.of("pass", "marginal", "fail", "inconclusive");

    @NonNull
    @Override
    public MetricSet getMetricSet() {
        Map<String, Metric> m = new LinkedHashMap<>();
        for (String outcome : OUTCOMES) {
            m.put(
                    "release-line.promotions." + outcome,
                    total(
                            "release_line_promotions_total",
                            s -> outcome.equals(s.labels().get("outcome"))));
        }
        m.put("release-line.rollbacks", total("release_line_rollbacks_total", s -> true));
        m.put("release-line.freezes.active", total("release_line_freezes_active", s -> true));
        m.put("release-line.frozen.seconds", total("release_line_frozen_seconds_total", s -> true));
        for (String verdict : VERDICTS) {
            m.put(
                    "release-line.canary.analyses." + verdict,
                    total(
                            "release_line_canary_analyses_total",
                            s -> verdict.equals(s.labels().get("verdict"))));
        }
        m.put("release-line.canary.rollbacks", total("release_line_canary_rollbacks_total", s -> true));
        m.put("release-line.toggles.flips", total("release_line_toggle_flips_total", s -> true));
        return metrics(m);
    }

    private static Gauge<Double> total(String family, Predicate<DeliveryMetrics.Sample> which) {
        return () -> TelemetryService.get().samples().stream()
                .filter(s -> s.name().equals(family) && which.test(s))
                .mapToDouble(DeliveryMetrics.Sample::value)
                .sum();
    }
}
