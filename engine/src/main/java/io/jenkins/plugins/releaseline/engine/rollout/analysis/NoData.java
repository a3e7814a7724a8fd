package io.jenkins.plugins.releaseline.engine.rollout.analysis;

/**
 * What a metric means when its source returns nothing, only NaN, or fewer samples than the metric's minimum.
 * There is deliberately no "pass": missing data never promotes a canary.
 */
public enum NoData {
    /** The analysis has no judgement; it is retried, then the plan's {@code onInconclusive} applies. */
    INCONCLUSIVE,
    /** Missing data is itself a failure (e.g. a metric that must always report). */
    FAIL
}
