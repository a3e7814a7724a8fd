package io.jenkins.plugins.releaseline.engine.rollout.canary;

import java.time.Duration;

/**
 * One step of a canary: send {@code weight} percent of the traffic to the canary, wait {@code pause}, then
 * analyse. The last step of every plan is 100% with no pause: the canary has become the stable version.
 */
public record CanaryStep(int weight, Duration pause) {

    public CanaryStep {
        if (weight < 1 || weight > 100) {
            throw new IllegalArgumentException("weight " + weight + " is outside 1..100");
        }
        pause = pause == null ? Duration.ZERO : pause;
        if (pause.isNegative()) {
            throw new IllegalArgumentException("pause " + pause + " is negative");
        }
    }

    public boolean isFinal() {
        return weight == 100;
    }

    @Override
    public String toString() {
        return isFinal() ? "100%" : weight + "%/" + CanaryPlanParser.formatDuration(pause);
    }
}
