package io.jenkins.plugins.releaseline.engine.rollout.analysis;

/**
 * The judgement of one metric with every value it rests on. Counts are of the samples used (NaN dropped);
 * values are NaN where they could not be computed (no samples, no baseline comparison).
 *
 * @param canaryValue   the canary's aggregate (the one the threshold applies to)
 * @param baselineValue the baseline's value of the same aggregate
 * @param canaryMean    the canary's mean; the effect size compares means
 * @param baselineMean  the baseline's mean
 * @param pValue        one-sided Mann-Whitney p-value that the canary is worse
 * @param effect        relative change of the canary's mean against the baseline's, signed so that positive is worse
 */
public record MetricResult(String metric, Verdict verdict, String reason, int canaryCount, int baselineCount,
                           int droppedNaN, double canaryValue, double baselineValue, double canaryMean,
                           double baselineMean, double pValue, double effect) {
}
