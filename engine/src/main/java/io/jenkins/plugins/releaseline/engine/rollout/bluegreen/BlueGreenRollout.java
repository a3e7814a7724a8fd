package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

import java.time.Instant;
import java.util.List;

/** A blue-green rollout as stored: what moves where, its phase, and every transition with its time. */
public record BlueGreenRollout(long id, String environment, String router, String liveColour, String targetColour,
                               String version, BlueGreenPhase phase, String detail, String startedBy, Instant startedAt,
                               Instant updatedAt, Instant warmUntil, List<Step> timeline) {

    /** One transition: the phase entered, when, by whom, and what was seen. */
    public record Step(int seq, BlueGreenPhase phase, Instant at, String principal, String detail) {}

    /** The colour that serves when this rollout is in a terminal phase; where it is not, the detail says what is known. */
    public String servingColour() {
        return switch (phase) {
            case WARM, COMPLETED -> targetColour;
            case FAILED, ROLLED_BACK, DEPLOYING, VERIFYING_IDLE -> liveColour;
            default -> null;
        };
    }
}
