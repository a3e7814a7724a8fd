package io.jenkins.plugins.releaseline.engine.promotion;

/** Where one promotion attempt stands. */
public enum PromotionStatus {
    /** Recorded; gates not yet all passed (waiting for soak time, approvals, a freeze, the lock). */
    REQUESTED,
    /** Holds the deploy lock; the deployment runs. */
    DEPLOYING,
    DEPLOYED,
    VERIFIED,
    /** An approver said no. */
    REJECTED,
    /** A gate said no (or a gate still waited when waiting was not allowed). */
    REFUSED,
    /** The deployment ran and failed. */
    FAILED,
    /** Given up: a timeout, an aborted build, a lock released by an administrator. */
    CANCELLED,
    /** It was running and a rollback replaced it. */
    ROLLED_BACK;

    /** A deployment that went through and was not undone: what the next environment may promote from. */
    public boolean green() {
        return this == DEPLOYED || this == VERIFIED;
    }

    public boolean finished() {
        return this != REQUESTED && this != DEPLOYING;
    }
}
