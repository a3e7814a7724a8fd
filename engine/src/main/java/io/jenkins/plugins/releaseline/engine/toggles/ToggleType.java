package io.jenkins.plugins.releaseline.engine.toggles;

/** What a toggle's variants hold: {@code true}/{@code false}, or text (an A/B test's {@code control}/{@code treatment}). */
public enum ToggleType {
    BOOLEAN,
    STRING
}
