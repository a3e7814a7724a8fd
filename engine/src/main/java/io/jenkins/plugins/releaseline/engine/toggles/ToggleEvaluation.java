package io.jenkins.plugins.releaseline.engine.toggles;

/**
 * The answer for one toggle, environment and context, in the shape of OpenFeature's resolution details: the
 * value, the variant that gave it (null when the application's default was used), the reason, and for a rule
 * match the rule's index, for a rollout the bucket in [0, 100); on error the code and a message.
 */
public record ToggleEvaluation(
        String key,
        Object value,
        String variant,
        EvaluationReason reason,
        int ruleIndex,
        float bucket,
        EvaluationError errorCode,
        String errorMessage) {

    /** The value as a boolean: true only for a boolean {@code true}. */
    public boolean isOn() {
        return Boolean.TRUE.equals(value);
    }

    static ToggleEvaluation error(String key, Object defaultValue, EvaluationError code, String message) {
        return new ToggleEvaluation(key, defaultValue, null, EvaluationReason.ERROR, -1, Float.NaN, code, message);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(key).append(" = ").append(value).append(" (").append(reason);
        if (variant != null) {
            sb.append(", variant ").append(variant);
        }
        if (ruleIndex >= 0) {
            sb.append(", rule ").append(ruleIndex + 1);
        }
        if (!Float.isNaN(bucket)) {
            sb.append(", bucket ").append(bucket);
        }
        if (errorCode != null) {
            sb.append(", ").append(errorCode).append(": ").append(errorMessage);
        }
        return sb.append(')').toString();
    }
}
