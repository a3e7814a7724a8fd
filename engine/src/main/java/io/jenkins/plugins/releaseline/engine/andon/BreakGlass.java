package io.jenkins.plugins.releaseline.engine.andon;

import java.time.Instant;

/**
 * A break-glass override: {@code principal} let {@code build} through one freeze (or one opening of a
 * window) for {@code reason}. Recorded in the audit trail and on the freeze's timeline.
 */
public record BreakGlass(long id, long freezeId, String windowName, String principal, Instant at, String reason, String build) {

    /** {@code freeze-12} or {@code window:weekend}. */
    public String freezeKey() {
        return windowName == null ? "freeze-" + freezeId : "window:" + windowName;
    }
}
