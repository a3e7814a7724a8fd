package io.jenkins.plugins.releaseline.engine.rollout.analysis;

/** Which way a metric gets worse. A canary that moves the other way (fewer errors, faster) never fails on it. */
public enum Direction {
    /** Error rates, latencies: more is worse. */
    LOWER_IS_BETTER,
    /** Success rates, throughput: less is worse. */
    HIGHER_IS_BETTER
}
