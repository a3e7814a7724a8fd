package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import java.util.Locale;

/** How the samples of one side are summed up for a threshold: the mean (error rates) or a percentile (latency). */
public enum Aggregate {
    MEAN, P50, P90, P95, P99, MAX;

    /** The value of this aggregate over ascending-sorted samples (at least one). */
    public double of(double[] sorted, double mean) {
        return switch (this) {
            case MEAN -> mean;
            case P50 -> percentile(sorted, 0.50);
            case P90 -> percentile(sorted, 0.90);
            case P95 -> percentile(sorted, 0.95);
            case P99 -> percentile(sorted, 0.99);
            case MAX -> sorted[sorted.length - 1];
        };
    }

    /** Nearest rank: the smallest sample with at least {@code q} of the samples at or below it. */
    static double percentile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static Aggregate parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("aggregate: '" + text + "' is not one of mean, p50, p90, p95, p99, max");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
