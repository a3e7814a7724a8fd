package io.jenkins.plugins.releaseline.engine.promotion;

import java.time.Instant;

/** One approver's yes to one promotion. */
public record Approval(long promotionId, String approver, Instant at, String comment) {
}
