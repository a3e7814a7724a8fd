package io.jenkins.plugins.releaseline.engine.promotion;

/** What a promotion does when another deployment holds its environment's deploy lock. */
public enum LockPolicy {
    /** Queue behind it; the oldest waiting promotion goes first. */
    WAIT,
    /** Refuse at once, naming who holds the lock. */
    REFUSE
}
