package io.jenkins.plugins.releaseline.engine.toggles;

/** What went wrong in an evaluation that fell back to the application's default; OpenFeature's error codes. */
public enum EvaluationError {
    FLAG_NOT_FOUND,
    INVALID_CONTEXT,
    GENERAL
}
