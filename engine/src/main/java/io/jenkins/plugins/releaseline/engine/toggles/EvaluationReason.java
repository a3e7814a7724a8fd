package io.jenkins.plugins.releaseline.engine.toggles;

/** Why an evaluation gave its answer; the names of OpenFeature's resolution reasons. */
public enum EvaluationReason {
    /** A targeting rule matched; {@link ToggleEvaluation#ruleIndex()} says which. */
    TARGETING_MATCH,
    /** The rollout's hash put the targeting key in a bucket; {@link ToggleEvaluation#bucket()} says where. */
    SPLIT,
    /** No rule matched and no rollout applied (or the key fell outside it): the environment's default variant. */
    DEFAULT,
    /** The toggle is off (or killed) in this environment: the application's default value. */
    DISABLED,
    /** The toggle or environment is unknown, or the context is malformed: the application's default value. */
    ERROR
}
