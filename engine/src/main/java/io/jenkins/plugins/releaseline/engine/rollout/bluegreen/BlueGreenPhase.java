package io.jenkins.plugins.releaseline.engine.rollout.bluegreen;

/**
 * Where a blue-green rollout stands. Until {@link #SWITCHING}, traffic has not moved; from {@link #WARM} on,
 * the new colour serves and the old one is kept running so that a rollback is instant, until it is retired.
 */
public enum BlueGreenPhase {
    /** The new version is being deployed to the idle colour; the live colour serves everything. */
    DEPLOYING,
    /** Health checks of the idle colour run; traffic has not moved. */
    VERIFYING_IDLE,
    /** The idle colour passed its checks; traffic has not moved. */
    IDLE_HEALTHY,
    /** The router is being told to move traffic; the split may be anywhere until it is read back. */
    SWITCHING,
    /** The router took the change; reading it back and checking that requests reach the new colour. */
    VERIFYING_SWITCH,
    /** Verified: the new colour serves everything; the old colour is kept warm for a rollback until {@code warmUntil}. */
    WARM,
    /** Done: the new colour serves, the old one may be shut down. */
    COMPLETED,
    /** Traffic is back on the old colour, read back from the router. */
    ROLLED_BACK,
    /** Stopped before traffic moved (deploy failed, idle colour unhealthy); the old colour still serves, read back. */
    FAILED,
    /**
     * The controller could not establish where traffic is (the router unreachable or reporting something else):
     * it says what it last knew; {@code resume()} or {@code rollback()} once the router answers.
     */
    UNRESOLVED;

    /** A rollout in this phase still holds its environment: no other rollout may start there. */
    public boolean active() {
        return this != COMPLETED && this != ROLLED_BACK && this != FAILED;
    }

    /** Traffic may be on the new colour while the old colour is still running: a rollback can switch back at once. */
    public boolean rollbackPossible() {
        return this == SWITCHING || this == VERIFYING_SWITCH || this == WARM || this == UNRESOLVED;
    }
}
