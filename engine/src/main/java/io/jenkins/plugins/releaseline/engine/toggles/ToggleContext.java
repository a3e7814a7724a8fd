package io.jenkins.plugins.releaseline.engine.toggles;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The attributes an application evaluates a toggle with: text, numbers and booleans by name, and the
 * {@code targetingKey} (a user or session id) that percentage rollouts hash. Checked once when built, so that
 * evaluation can read it without checks.
 */
public final class ToggleContext {

    public static final String TARGETING_KEY = "targetingKey";
    public static final int MAX_ATTRIBUTES = 200;
    public static final ToggleContext EMPTY = new ToggleContext(Map.of());

    private final Map<String, Object> attributes;
    private final String targetingKey;

    private ToggleContext(Map<String, Object> attributes) {
        this.attributes = attributes;
        this.targetingKey = (String) attributes.get(TARGETING_KEY);
    }

    /**
     * Checks and copies {@code attributes}; refuses a malformed one with the field named: a name that is no
     * attribute name, a null, a list or map, or a {@code targetingKey} that is not non-empty text.
     */
    public static ToggleContext of(Map<String, ?> attributes) {
        if (attributes == null) {
            return EMPTY;
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("context: " + attributes.size() + " attributes is over the limit of " + MAX_ATTRIBUTES);
        }
        Map<String, Object> copy = new HashMap<>();
        for (Map.Entry<String, ?> e : attributes.entrySet()) {
            String name = TargetingRule.requireAttribute("context", e.getKey());
            Object value = e.getValue();
            String field = "context." + name;
            if (value == null) {
                throw new IllegalArgumentException(field + ": is null; leave the attribute out instead");
            }
            if (TARGETING_KEY.equals(name)) {
                if (!(value instanceof String s) || s.isEmpty()) {
                    throw new IllegalArgumentException(field + ": must be non-empty text (a user or session id), not "
                            + describe(value));
                }
            } else if (!(value instanceof String || value instanceof Boolean || value instanceof Integer
                    || value instanceof Long || value instanceof Double)) {
                throw new IllegalArgumentException(field + ": " + describe(value)
                        + " is not supported; use text, a whole number, a decimal number or a boolean");
            }
            if (value instanceof String s && s.length() > 10_000) {
                throw new IllegalArgumentException(field + ": " + s.length() + " characters is over the limit of 10000");
            }
            // interned, as rule attributes are, so that evaluation's lookups match on identity before comparing text
            copy.put(name.intern(), value);
        }
        return new ToggleContext(Collections.unmodifiableMap(copy));
    }

    public static ToggleContext ofTargetingKey(String targetingKey) {
        return of(Map.of(TARGETING_KEY, targetingKey));
    }

    private static String describe(Object value) {
        String type = value instanceof Map ? "a map" : value instanceof Iterable ? "a list" : "a " + value.getClass().getSimpleName();
        return type + (value instanceof String s ? " '" + s + "'" : "");
    }

    /** The attribute's value (text, Integer, Long, Double or Boolean), or null when absent. */
    public Object get(String attribute) {
        return attributes.get(attribute);
    }

    /** Null when absent. */
    public String targetingKey() {
        return targetingKey;
    }

    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public String toString() {
        return attributes.toString();
    }
}
