package io.jenkins.plugins.releaseline.engine.andon;

import java.time.Instant;

/**
 * A freeze as stored: who pulled it, when and why, and, once over, who released it and with what note.
 *
 * @param lineJob   for a freeze a failing line job pulled: that job, whose own builds are never held back
 * @param lineBuild the failing build named by such a freeze
 * @param expiresAt when it lifts by itself, or {@code null}
 */
public record Freeze(
        long id,
        FreezeScope scope,
        Stops stops,
        Origin origin,
        String lineJob,
        String lineBuild,
        String pulledBy,
        Instant pulledAt,
        String reason,
        String link,
        Instant expiresAt,
        String releasedBy,
        Instant releasedAt,
        String releaseNote) {

    /** Where a freeze stands at a moment. */
    public enum Status { ACTIVE, RELEASED, EXPIRED }

    public Status statusAt(Instant now) {
        if (releasedAt != null) {
            return Status.RELEASED;
        }
        return expiresAt != null && !now.isBefore(expiresAt) ? Status.EXPIRED : Status.ACTIVE;
    }

    public boolean isActiveAt(Instant now) {
        return statusAt(now) == Status.ACTIVE;
    }

    /** When it stopped holding work back: its release or its expiry; {@code null} while active. */
    public Instant endedAt(Instant now) {
        return switch (statusAt(now)) {
            case RELEASED -> releasedAt;
            case EXPIRED -> expiresAt;
            case ACTIVE -> null;
        };
    }
}
