package io.jenkins.plugins.releaseline.engine.promotion;

import java.time.Instant;

/**
 * One promotion attempt as the ledger holds it.
 *
 * @param deployedAt when it went green (the soak clock of the next environment starts here); {@code null} before
 */
public record Promotion(long id, String environment, Artifact artifact, String branch, String jobPath, String buildLink,
                        String requestedBy, Instant requestedAt, PromotionStatus status, Instant statusAt,
                        Instant deployedAt, boolean rollback, String controllerId, String comment) {
}
