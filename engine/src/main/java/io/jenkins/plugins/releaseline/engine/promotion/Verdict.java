package io.jenkins.plugins.releaseline.engine.promotion;

/** A gate's answer. */
public enum Verdict {
    /** The gate is satisfied. */
    PASS,
    /** Not yet: time, a person or a lock will change the answer (soak time, approvals, a freeze, a busy lock). */
    WAIT,
    /** No: waiting will not help (wrong digest, branch not allowed, rejected). */
    FAIL
}
