package io.jenkins.plugins.releaseline.engine.andon;

/** What a piece of work that asks the board is. */
public enum WorkKind {
    BUILD,
    DEPLOYMENT,
    PROMOTION
}
