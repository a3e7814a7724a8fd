package io.jenkins.plugins.releaseline.engine.telemetry;

import java.time.LocalDate;

/**
 * One day of the trend: the DORA figures over the seven days that end with {@code day} (midnight to midnight in
 * the trend's time zone). Figures with no data are {@code null}.
 */
public record DoraTrendPoint(LocalDate day, long deployments, Double leadTimeHours, Double changeFailureRate,
                             Double timeToRestoreHours) {
}
