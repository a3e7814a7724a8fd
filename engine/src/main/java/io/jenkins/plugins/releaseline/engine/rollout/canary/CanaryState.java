package io.jenkins.plugins.releaseline.engine.rollout.canary;

/**
 * Where a canary rollout is. The states that end in {@code -ING} (and {@link #SETTING_WEIGHT}) are persisted
 * <em>before</em> the router is told, so that a restart in between repeats the router call, which is idempotent.
 */
public enum CanaryState {
    /** The current step's weight is to be set on the router. */
    SETTING_WEIGHT(false),
    /** The step's weight is set; at {@code wakeAt} the analysis runs (or is retried). */
    WAITING(false),
    /** Held at its weight by a person or by the analysis deadline; a deadline pause aborts when it expires. */
    PAUSED(false),
    /** An analysis failed: the canary is being taken to 0%; retried until the router confirms. */
    ROLLING_BACK(false),
    /** Aborted by a person (or an expired pause): the canary is being taken to 0%. */
    ABORTING(false),
    /** The canary took 100% of the traffic. */
    SUCCEEDED(true),
    /** The canary is at 0% after a failed analysis; stable serves everything and was never touched. */
    ROLLED_BACK(true),
    /** The canary is at 0% after an abort; stable serves everything and was never touched. */
    ABORTED(true);

    private final boolean terminal;

    CanaryState(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean terminal() {
        return terminal;
    }

    /** Whether the router is to be at 0% canary in this state. */
    public boolean towardsStable() {
        return this == ROLLING_BACK || this == ABORTING || this == ROLLED_BACK || this == ABORTED;
    }
}
