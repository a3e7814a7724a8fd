package io.jenkins.plugins.releaseline.engine.telemetry;

import java.time.Duration;
import java.time.Instant;

/**
 * The four DORA figures of one environment (and, when {@code artifact} is set, one artifact) over
 * {@code [from, to)}, each with its band. A figure with no data in the window is {@code null} and its band
 * {@link DoraBand#NONE}.
 *
 * @param deployments       deployments that went green in the window (rollbacks not counted)
 * @param deploymentsPerDay {@code deployments} divided by the window's length in days
 * @param leadTimeMedian    median time from commit to the deployment, over the deployments whose commit time is known
 * @param leadTimeSamples   how many deployments had a known commit time
 * @param changes           deployments plus failed deployment attempts in the window
 * @param failedChanges     changes that failed, or were followed within the failure window by a rollback, a failed
 *                          verification or a hotfix
 * @param changeFailureRate {@code failedChanges / changes}
 * @param restored          incidents (failed deploys, failed verifications, rollbacks, hotfixes, Andon pulls) that
 *                          began in the window and have been restored
 * @param timeToRestoreMedian median of their times to restore
 * @param unrestored        incidents begun in the window and not restored yet
 */
public record DoraFigures(String environment, String artifact, Instant from, Instant to,
                          long deployments, double deploymentsPerDay, DoraBand deploymentFrequencyBand,
                          Duration leadTimeMedian, long leadTimeSamples, DoraBand leadTimeBand,
                          long changes, long failedChanges, Double changeFailureRate, DoraBand changeFailureRateBand,
                          long restored, Duration timeToRestoreMedian, long unrestored, DoraBand timeToRestoreBand) {
}
