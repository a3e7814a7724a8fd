package io.jenkins.plugins.releaseline.engine.telemetry;

import java.time.Duration;

/**
 * The four DORA performance bands, with the thresholds of the "Accelerate State of DevOps Report 2023"
 * (DORA, Google Cloud), section "Software delivery performance". Where the report's clusters overlap or leave a
 * gap, the boundary is the one named here and in {@code docs/telemetry.md}. {@link #NONE}: the window holds no
 * data to judge (never a guess).
 */
public enum DoraBand {
    ELITE, HIGH, MEDIUM, LOW, NONE;

    static final Duration DAY = Duration.ofDays(1);
    static final Duration WEEK = Duration.ofDays(7);
    static final Duration MONTH = Duration.ofDays(30);
    static final Duration HOUR = Duration.ofHours(1);

    /** Elite: on demand, at least one a day; high: at least one a week; medium: at least one a month; low: fewer. No deployment in the window: {@link #NONE}. */
    public static DoraBand ofDeploymentFrequency(long deployments, Duration window) {
        if (deployments <= 0 || window.isZero() || window.isNegative()) {
            return NONE;
        }
        double perDay = deployments * (double) DAY.toMillis() / window.toMillis();
        if (perDay >= 1.0) {
            return ELITE;
        }
        if (perDay * 7 >= 1.0) {
            return HIGH;
        }
        return perDay * 30 >= 1.0 ? MEDIUM : LOW;
    }

    /** Median lead time: elite under a day, high under a week, medium under a month, low a month or more. */
    public static DoraBand ofLeadTime(Duration median) {
        if (median == null) {
            return NONE;
        }
        if (median.compareTo(DAY) < 0) {
            return ELITE;
        }
        if (median.compareTo(WEEK) < 0) {
            return HIGH;
        }
        return median.compareTo(MONTH) < 0 ? MEDIUM : LOW;
    }

    /** Change failure rate: elite at most 5 %, high at most 10 %, medium at most 15 %, low above. */
    public static DoraBand ofChangeFailureRate(Double rate) {
        if (rate == null) {
            return NONE;
        }
        if (rate <= 0.05) {
            return ELITE;
        }
        if (rate <= 0.10) {
            return HIGH;
        }
        return rate <= 0.15 ? MEDIUM : LOW;
    }

    /** Median time to restore: elite under an hour, high under a day, medium under a week, low a week or more. */
    public static DoraBand ofTimeToRestore(Duration median) {
        if (median == null) {
            return NONE;
        }
        if (median.compareTo(HOUR) < 0) {
            return ELITE;
        }
        if (median.compareTo(DAY) < 0) {
            return HIGH;
        }
        return median.compareTo(WEEK) < 0 ? MEDIUM : LOW;
    }
}
