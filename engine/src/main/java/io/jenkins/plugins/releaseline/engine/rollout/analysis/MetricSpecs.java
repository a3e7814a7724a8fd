package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the metrics of an analysis from the form a pipeline passes: one map per metric, e.g.
 * {@code [name: 'error-rate', source: 'prometheus', query: '...', threshold: 0.01, direction: 'lower']}.
 * Errors name the metric by its position and the key: {@code analysis[2].threshold: 'x' is not a number}.
 * With no metrics given, the built-in probes' error rate and latency are used.
 */
public final class MetricSpecs {

    private static final Set<String> KEYS = Set.of("name", "source", "query", "direction", "aggregate", "threshold",
            "compare", "tolerance", "absoluteTolerance", "minSamples", "noData", "critical", "weight");

    private MetricSpecs() {}

    /**
     * The built-in probes: error rate at most 1% and not worse than stable; latency not worse than stable by more
     * than 20% and 20 ms (two hosts, or two processes on a busy host, differ by a few milliseconds anyway).
     */
    public static List<CanaryMetric> defaults() {
        return List.of(
                CanaryMetric.of("error-rate", HttpProbeSource.ID, "error-rate /", Direction.LOWER_IS_BETTER)
                        .withThreshold(Aggregate.MEAN, 0.01).withTolerance(0.10, 0.005),
                CanaryMetric.of("latency", HttpProbeSource.ID, "latency /", Direction.LOWER_IS_BETTER)
                        .withTolerance(0.20, 20.0));
    }

    public static List<CanaryMetric> parse(List<? extends Map<String, ?>> entries) {
        if (entries == null || entries.isEmpty()) {
            return defaults();
        }
        List<CanaryMetric> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = "analysis[" + (i + 1) + "]";
            Map<String, ?> e = entries.get(i);
            if (e == null) {
                throw new IllegalArgumentException(where + ": is empty; give at least name, source and query");
            }
            for (String k : e.keySet()) {
                if (!KEYS.contains(k)) {
                    throw new IllegalArgumentException(where + ": unknown key '" + k + "'; use " + new java.util.TreeSet<>(KEYS));
                }
            }
            String name = text(e, "name", where, null);
            String source = text(e, "source", where, null);
            String query = text(e, "query", where, null);
            if (name == null || source == null || query == null) {
                throw new IllegalArgumentException(where + ": name, source and query are required");
            }
            Direction direction = switch (text(e, "direction", where, "lower").toLowerCase(Locale.ROOT)) {
                case "lower", "lower_is_better" -> Direction.LOWER_IS_BETTER;
                case "higher", "higher_is_better" -> Direction.HIGHER_IS_BETTER;
                default -> throw new IllegalArgumentException(where + ".direction: '" + e.get("direction")
                        + "' is not 'lower' (lower is better) or 'higher'");
            };
            Aggregate aggregate;
            try {
                aggregate = Aggregate.parse(text(e, "aggregate", where, "mean"));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException(where + "." + x.getMessage());
            }
            NoData noData = switch (text(e, "noData", where, "inconclusive").toLowerCase(Locale.ROOT)) {
                case "inconclusive" -> NoData.INCONCLUSIVE;
                case "fail" -> NoData.FAIL;
                default -> throw new IllegalArgumentException(where + ".noData: '" + e.get("noData")
                        + "' is not 'inconclusive' or 'fail' (no data never passes)");
            };
            Double threshold = e.get("threshold") == null ? null : number(e, "threshold", where);
            boolean compare = bool(e, "compare", where, true);
            double tolerance = e.get("tolerance") == null ? CanaryMetric.DEFAULT_TOLERANCE : number(e, "tolerance", where);
            double absolute = e.get("absoluteTolerance") == null ? 0 : number(e, "absoluteTolerance", where);
            int minSamples = e.get("minSamples") == null ? CanaryMetric.DEFAULT_MIN_SAMPLES : (int) whole(e, "minSamples", where);
            boolean critical = bool(e, "critical", where, false);
            double weight = e.get("weight") == null ? 1.0 : number(e, "weight", where);
            try {
                out.add(new CanaryMetric(name, source, query, direction, aggregate, threshold, compare, tolerance, absolute,
                        minSamples, noData, critical, weight));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException(where + ": " + x.getMessage(), x);
            }
        }
        return out;
    }

    private static String text(Map<String, ?> e, String key, String where, String fallback) {
        Object v = e.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof CharSequence)) {
            throw new IllegalArgumentException(where + "." + key + ": " + v + " must be text");
        }
        return v.toString();
    }

    private static double number(Map<String, ?> e, String key, String where) {
        Object v = e.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof CharSequence s) {
            try {
                return Double.parseDouble(s.toString().strip());
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException(where + "." + key + ": '" + s + "' is not a number");
            }
        }
        throw new IllegalArgumentException(where + "." + key + ": " + v + " is not a number");
    }

    private static long whole(Map<String, ?> e, String key, String where) {
        double d = number(e, key, where);
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(where + "." + key + ": " + d + " must be a whole number");
        }
        return (long) d;
    }

    private static boolean bool(Map<String, ?> e, String key, String where, boolean fallback) {
        Object v = e.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().strip().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(where + "." + key + ": '" + v + "' is not true or false");
    }
}
