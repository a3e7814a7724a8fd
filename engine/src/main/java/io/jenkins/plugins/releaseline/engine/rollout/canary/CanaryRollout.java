package io.jenkins.plugins.releaseline.engine.rollout.canary;

import java.time.Instant;

/**
 * A canary rollout as stored: its spec, where its state machine is, and why.
 *
 * @param stepIndex        the current step (0-based) of {@code spec.plan().steps()}
 * @param failedAnalyses   analyses that failed so far (the plan's {@code maxFailedAnalyses} of them roll back)
 * @param inconclusive     analyses of this step without a judgement so far
 * @param routerFailures   consecutive router failures while moving traffic back to stable
 * @param stepStartedAt    when the current step's weight was set: the start of its analysis window
 * @param wakeAt           when the next thing is due (analysis, retry); null when nothing is scheduled
 * @param analysisSince    when the current step's analysis first became due (its deadline counts from here)
 * @param pausedFrom       the state a resume returns to
 * @param pauseExpiresAt   for a pause set by the analysis deadline: when the rollout aborts unless resumed
 * @param reason           the last reason given: why it paused, rolled back, aborted
 * @param version          bumped at every change; changes are compare-and-set on it
 */
public record CanaryRollout(CanarySpec spec, CanaryState state, int stepIndex, int failedAnalyses, int inconclusive,
                            int routerFailures, Instant stepStartedAt, Instant wakeAt, Instant analysisSince,
                            CanaryState pausedFrom, Instant pauseExpiresAt, String reason, String startedBy,
                            Instant createdAt, Instant updatedAt, long version) {

    public String id() {
        return spec.id();
    }

    public CanaryStep step() {
        return spec.plan().steps().get(stepIndex);
    }

    /** The canary's weight this state stands for: 0 once going back to stable, else the current step's. */
    public int intendedWeight() {
        if (state.towardsStable()) {
            return 0;
        }
        return step().weight();
    }

    CanaryRollout with(CanaryState s) {
        return new CanaryRollout(spec, s, stepIndex, failedAnalyses, inconclusive, routerFailures, stepStartedAt, wakeAt,
                analysisSince, pausedFrom, pauseExpiresAt, reason, startedBy, createdAt, updatedAt, version);
    }

    CanaryRollout withStep(int index, Instant started, Instant wake) {
        return new CanaryRollout(spec, state, index, failedAnalyses, inconclusive, routerFailures, started, wake,
                analysisSince, pausedFrom, pauseExpiresAt, reason, startedBy, createdAt, updatedAt, version);
    }

    CanaryRollout withCounts(int failed, int inconclusiveCount, int routerFailureCount) {
        return new CanaryRollout(spec, state, stepIndex, failed, inconclusiveCount, routerFailureCount, stepStartedAt,
                wakeAt, analysisSince, pausedFrom, pauseExpiresAt, reason, startedBy, createdAt, updatedAt, version);
    }

    CanaryRollout withWake(Instant wake, Instant since) {
        return new CanaryRollout(spec, state, stepIndex, failedAnalyses, inconclusive, routerFailures, stepStartedAt,
                wake, since, pausedFrom, pauseExpiresAt, reason, startedBy, createdAt, updatedAt, version);
    }

    CanaryRollout withPause(CanaryState from, Instant expires) {
        return new CanaryRollout(spec, state, stepIndex, failedAnalyses, inconclusive, routerFailures, stepStartedAt,
                wakeAt, analysisSince, from, expires, reason, startedBy, createdAt, updatedAt, version);
    }

    CanaryRollout withReason(String r) {
        return new CanaryRollout(spec, state, stepIndex, failedAnalyses, inconclusive, routerFailures, stepStartedAt,
                wakeAt, analysisSince, pausedFrom, pauseExpiresAt, r, startedBy, createdAt, updatedAt, version);
    }
}
