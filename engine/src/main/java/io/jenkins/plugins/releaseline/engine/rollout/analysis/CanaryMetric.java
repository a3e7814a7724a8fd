package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import io.jenkins.plugins.releaseline.engine.store.Inputs;

/**
 * One metric an analysis judges.
 *
 * @param name       what the reports call it ({@code error-rate}, {@code p99-latency})
 * @param source     the id of the {@link MetricSource} that measures it
 * @param query      the source's query; {@code {{version}}} is replaced by the label of the side measured
 *                   (baseline or canary), {@code {{window}}} by the analysis window in seconds ({@code 60s})
 * @param direction  which way is worse
 * @param aggregate  how the canary's samples are summed up for {@code threshold}
 * @param threshold  the limit on the canary's aggregate (an upper limit when lower is better), or {@code null}
 * @param compare    whether the canary is compared with the baseline (Mann-Whitney U)
 * @param tolerance  how much worse, relatively, the canary's mean may be before a significant difference fails
 *                   (0.1: 10% worse is tolerated)
 * @param absoluteTolerance a difference of means below this never fails (e.g. 0.002 for an error rate), which
 *                   keeps a baseline of exactly 0 from turning every difference into "infinitely worse"
 * @param minSamples the fewest samples on each side before the metric is judged at all
 * @param noData     what too few samples mean
 * @param critical   a failure of this metric fails the analysis whatever the score
 * @param weight     its share of the score
 */
public record CanaryMetric(String name, String source, String query, Direction direction, Aggregate aggregate,
                           Double threshold, boolean compare, double tolerance, double absoluteTolerance,
                           int minSamples, NoData noData, boolean critical, double weight) {

    public static final int DEFAULT_MIN_SAMPLES = 20;
    public static final double DEFAULT_TOLERANCE = 0.10;

    public CanaryMetric {
        Inputs.requireName("metric name", name, 100);
        Inputs.requireName("metric " + name + ": source", source, 100);
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("metric " + name + ": query: must not be empty");
        }
        Inputs.rejectControlCharacters("metric " + name + ": query", query, true);
        Inputs.requireLength("metric " + name + ": query", query, 4_000);
        if (direction == null) {
            throw new IllegalArgumentException("metric " + name + ": direction: choose lower_is_better or higher_is_better");
        }
        aggregate = aggregate == null ? Aggregate.MEAN : aggregate;
        if (threshold != null && !Double.isFinite(threshold)) {
            throw new IllegalArgumentException("metric " + name + ": threshold: " + threshold + " is not a number");
        }
        if (!compare && threshold == null) {
            throw new IllegalArgumentException("metric " + name + ": judges nothing; give a threshold, or compare with the baseline");
        }
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("metric " + name + ": tolerance: " + tolerance + " must be 0 or more (0.1 = 10%)");
        }
        if (!(absoluteTolerance >= 0) || !Double.isFinite(absoluteTolerance)) {
            throw new IllegalArgumentException("metric " + name + ": absoluteTolerance: " + absoluteTolerance + " must be 0 or more");
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("metric " + name + ": minSamples: " + minSamples + " must be at least 1");
        }
        noData = noData == null ? NoData.INCONCLUSIVE : noData;
        if (!(weight > 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("metric " + name + ": weight: " + weight + " must be above 0");
        }
    }

    /** A metric compared with the baseline, with the defaults: 10% tolerance, 20 samples, no data = inconclusive. */
    public static CanaryMetric of(String name, String source, String query, Direction direction) {
        return new CanaryMetric(name, source, query, direction, Aggregate.MEAN, null, true, DEFAULT_TOLERANCE, 0.0,
                DEFAULT_MIN_SAMPLES, NoData.INCONCLUSIVE, false, 1.0);
    }

    public CanaryMetric withThreshold(Aggregate agg, Double limit) {
        return new CanaryMetric(name, source, query, direction, agg, limit, compare, tolerance, absoluteTolerance,
                minSamples, noData, critical, weight);
    }

    public CanaryMetric withTolerance(double relative, double absolute) {
        return new CanaryMetric(name, source, query, direction, aggregate, threshold, compare, relative, absolute,
                minSamples, noData, critical, weight);
    }

    public CanaryMetric withMinSamples(int n) {
        return new CanaryMetric(name, source, query, direction, aggregate, threshold, compare, tolerance,
                absoluteTolerance, n, noData, critical, weight);
    }

    public CanaryMetric withNoData(NoData policy) {
        return new CanaryMetric(name, source, query, direction, aggregate, threshold, compare, tolerance,
                absoluteTolerance, minSamples, policy, critical, weight);
    }

    public CanaryMetric withCritical(boolean isCritical) {
        return new CanaryMetric(name, source, query, direction, aggregate, threshold, compare, tolerance,
                absoluteTolerance, minSamples, noData, isCritical, weight);
    }

    public CanaryMetric withCompare(boolean withBaseline) {
        return new CanaryMetric(name, source, query, direction, aggregate, threshold, withBaseline, tolerance,
                absoluteTolerance, minSamples, noData, critical, weight);
    }

    public CanaryMetric withWeight(double w) {
        return new CanaryMetric(name, source, query, direction, aggregate, threshold, compare, tolerance,
                absoluteTolerance, minSamples, noData, critical, w);
    }
}
