package io.jenkins.plugins.releaseline.engine.toggles;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every toggle and environment at one moment, compiled for evaluation. Immutable. */
public final class ToggleSnapshot {

    private final List<String> environments;
    private final List<ToggleState> toggles;
    private final Map<String, ToggleState> byKey;
    private final Map<String, CompiledToggle> compiled;

    ToggleSnapshot(List<String> environments, List<ToggleState> toggles) {
        this.environments = List.copyOf(environments);
        this.toggles = List.copyOf(toggles);
        Map<String, ToggleState> states = new HashMap<>();
        Map<String, CompiledToggle> c = new HashMap<>();
        for (ToggleState t : toggles) {
            states.put(t.key(), t);
            c.put(t.key(), new CompiledToggle(t.definition(), t.settings()));
        }
        this.byKey = Collections.unmodifiableMap(states);
        this.compiled = c;
    }

    public List<String> environments() {
        return environments;
    }

    public List<ToggleState> toggles() {
        return toggles;
    }

    public Optional<ToggleState> toggle(String key) {
        return Optional.ofNullable(key == null ? null : byKey.get(key));
    }

    ToggleEvaluation evaluate(String key, String environment, ToggleContext context, Object applicationDefault) {
        CompiledToggle t = key == null ? null : compiled.get(key);
        if (t == null) {
            return ToggleEvaluation.error(key, applicationDefault, EvaluationError.FLAG_NOT_FOUND,
                    "toggle '" + key + "' is not defined");
        }
        CompiledToggle.Setting s = environment == null ? null : t.settings.get(environment);
        if (s == null) {
            return ToggleEvaluation.error(key, applicationDefault, EvaluationError.FLAG_NOT_FOUND,
                    "environment '" + environment + "' is not defined for toggles; the environments are " + environments);
        }
        return s.evaluate(context, applicationDefault);
    }
}
