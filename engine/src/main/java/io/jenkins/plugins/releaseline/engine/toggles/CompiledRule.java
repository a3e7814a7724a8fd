package io.jenkins.plugins.releaseline.engine.toggles;

/**
 * A targeting rule prepared for evaluation: values parsed once, compared without regexes, boxing or
 * allocation. Comparisons follow what flagd's JSON Logic does with the exported rule (json-logic-java 1.1.0):
 * {@code ==} is JavaScript-style loose equality (the number 42 equals the text "42"), {@code in} and
 * {@code starts_with} compare text exactly, {@code sem_ver} needs text on both sides.
 */
final class CompiledRule {

    private static final int EQUALS = 0;
    private static final int IN = 1;
    private static final int STARTS_WITH = 2;
    private static final int SEMVER = 3;

    final String attribute;
    final String variant;
    final Object variantValue;
    private final int kind;
    private final RuleOperator operator;
    private final String value;
    private final String[] values;
    /** {@code value} as {@code Double.parseDouble} reads it (NaN when it cannot), for loose equality with numbers. */
    private final double numeric;
    /** {@code value}'s JSON Logic truthiness (non-empty), for loose equality with booleans. */
    private final boolean truthy;
    private final SemVerBound semVer;

    CompiledRule(TargetingRule rule, Object variantValue) {
        this.attribute = rule.attribute().intern();
        this.variant = rule.variant();
        this.variantValue = variantValue;
        this.operator = rule.operator();
        this.value = rule.values().get(0);
        this.values = rule.values().toArray(new String[0]);
        this.kind = switch (rule.operator()) {
            case EQUALS -> EQUALS;
            case IN -> IN;
            case STARTS_WITH -> STARTS_WITH;
            default -> SEMVER;
        };
        double n;
        try {
            n = Double.parseDouble(value.trim().isEmpty() ? "0" : value);
        } catch (NumberFormatException e) {
            n = Double.NaN;
        }
        this.numeric = n;
        this.truthy = !value.isEmpty();
        this.semVer = kind == SEMVER ? SemVerBound.parse(value) : null;
    }

    boolean matches(Object attributeValue) {
        if (attributeValue == null) {
            return false;
        }
        switch (kind) {
            case EQUALS:
                if (attributeValue instanceof String s) {
                    return value.equals(s);
                }
                if (attributeValue instanceof Boolean b) {
                    return truthy == b;
                }
                if (attributeValue instanceof Number num) {
                    return numeric == num.doubleValue();
                }
                return false;
            case IN:
                if (attributeValue instanceof String s) {
                    for (String v : values) {
                        if (v.equals(s)) {
                            return true;
                        }
                    }
                }
                return false;
            case STARTS_WITH:
                return attributeValue instanceof String s && s.startsWith(value);
            default:
                return semVer.test(attributeValue, operator);
        }
    }
}
