package io.jenkins.plugins.releaseline.engine.rollout.canary;

import java.time.Instant;

/**
 * One entry of a canary's history, in order: what happened ({@link Kind}), the state and weight after it, and
 * for analyses the verdict, the score and the metrics' results as JSON ({@code detail}).
 */
public record CanaryEvent(String rolloutId, int seq, Instant at, Kind kind, CanaryState state, int stepIndex,
                          int weight, String verdict, Integer score, String principal, String message, String detail) {

    public enum Kind {
        STARTED, WEIGHT_SET, ANALYSIS, ANALYSIS_DISCARDED, PAUSED, RESUMED, PROMOTE_REQUESTED, ABORT_REQUESTED,
        ROLLBACK_STARTED, ROUTER_FAILED, ROLLED_BACK, ABORTED, SUCCEEDED, RECOVERED
    }
}
