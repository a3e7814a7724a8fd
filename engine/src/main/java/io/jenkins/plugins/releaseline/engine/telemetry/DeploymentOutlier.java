package io.jenkins.plugins.releaseline.engine.telemetry;

import java.time.Instant;

/**
 * A deployment whose duration (start to outcome) or failure count (failed attempts of the same digest before it
 * went green) lies more than three standard deviations from the mean of the environment's recent deployments.
 *
 * @param measure {@code duration} (seconds) or {@code failures}
 * @param samples how many recent deployments the mean and deviation were taken over
 */
public record DeploymentOutlier(String environment, String artifact, long promotionId, Instant deployedAt, String measure,
                                double value, double mean, double standardDeviation, long samples) {

    /** How many standard deviations from the mean. */
    public double deviations() {
        return standardDeviation == 0 ? Double.POSITIVE_INFINITY : Math.abs(value - mean) / standardDeviation;
    }
}
