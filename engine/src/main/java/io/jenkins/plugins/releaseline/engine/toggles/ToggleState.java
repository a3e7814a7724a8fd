package io.jenkins.plugins.releaseline.engine.toggles;

import java.time.Instant;
import java.util.Map;

/** A toggle as stored: its definition, its setting per environment (every defined one), and its last change. */
public record ToggleState(ToggleDefinition definition, Map<String, EnvironmentSetting> settings, Instant changedAt) {

    public String key() {
        return definition.key();
    }

    public EnvironmentSetting setting(String environment) {
        return settings.get(environment);
    }
}
