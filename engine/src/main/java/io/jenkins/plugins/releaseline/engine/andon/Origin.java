package io.jenkins.plugins.releaseline.engine.andon;

/** Who or what pulled a freeze. */
public enum Origin {
    /** A person, from the page, a step or the CLI. */
    MANUAL,
    /** A failing build of a line job. */
    LINE,
    /** A scheduled freeze window (never stored as a row; windows are configuration). */
    WINDOW
}
