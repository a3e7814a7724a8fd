package io.jenkins.plugins.releaseline.engine.toggles;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * "Serve {@code variant} when the context's {@code attribute} {@code operator} {@code values}". Rules are tried in
 * order; the first that matches decides. Values are text: {@link RuleOperator#IN} takes a list, every other
 * operator exactly one value, a semantic version for the {@code SEMVER_*} operators.
 */
public record TargetingRule(String attribute, RuleOperator operator, List<String> values, String variant) {

    public static final int MAX_VALUES = 1_000;
    public static final int MAX_VALUE_LENGTH = 500;
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,99}");

    public TargetingRule {
        attribute = requireAttribute("attribute", attribute);
        if (operator == null) {
            throw new IllegalArgumentException("operator: missing; use one of EQUALS, IN, STARTS_WITH, SEMVER_EQUAL, "
                    + "SEMVER_NOT_EQUAL, SEMVER_LESS, SEMVER_LESS_OR_EQUAL, SEMVER_GREATER, SEMVER_GREATER_OR_EQUAL, "
                    + "SEMVER_SAME_MAJOR, SEMVER_SAME_MINOR");
        }
        values = checkValues(operator, values);
        variant = ToggleDefinition.requireVariantName("variant", variant);
    }

    /**
     * Builds a rule from loosely typed values (as they come from JSON, YAML or a pipeline), refusing a value of the
     * wrong type with the field named: a number where the operator compares text, a list where it takes one value.
     */
    public static TargetingRule of(String attribute, RuleOperator operator, Object values, String variant) {
        List<String> texts = new ArrayList<>();
        if (values instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                texts.add(text("values[" + i + "]", operator, list.get(i)));
            }
        } else if (values != null) {
            texts.add(text("values[0]", operator, values));
        }
        return new TargetingRule(attribute, operator, texts, variant);
    }

    private static String text(String field, RuleOperator operator, Object value) {
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        throw new IllegalArgumentException(field + ": " + (operator == null ? "a rule" : operator) + " compares text, but "
                + (value == null ? "null" : "'" + value + "' (a " + value.getClass().getSimpleName() + ")")
                + " was given; quote the value");
    }

    static String requireAttribute(String field, String attribute) {
        if (attribute == null || !ATTRIBUTE.matcher(attribute).matches()) {
            throw new IllegalArgumentException(field + ": '" + (attribute == null ? "" : Inputs.printable(attribute))
                    + "' is not a context attribute name; use letters, digits, '_' and '-' (at most 100), "
                    + "starting with a letter or '_', as in 'country' or 'targetingKey'");
        }
        return attribute;
    }

    private static List<String> checkValues(RuleOperator operator, List<String> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("values: " + operator + " needs " + (operator == RuleOperator.IN ? "at least one value" : "a value"));
        }
        if (operator != RuleOperator.IN && values.size() != 1) {
            throw new IllegalArgumentException("values: " + operator + " takes exactly one value, not " + values.size()
                    + "; use IN for a list");
        }
        if (values.size() > MAX_VALUES) {
            throw new IllegalArgumentException("values: " + values.size() + " is over the limit of " + MAX_VALUES);
        }
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            String field = "values[" + i + "]";
            if (v == null) {
                throw new IllegalArgumentException(field + ": must not be null");
            }
            Inputs.rejectControlCharacters(field, v, false);
            Inputs.requireLength(field, v, MAX_VALUE_LENGTH);
            if (operator.isSemVer()) {
                SemVerBound bound = SemVerBound.parse(v);
                if (bound == null) {
                    throw new IllegalArgumentException(field + ": '" + Inputs.printable(v) + "' is not a semantic version; "
                            + operator + " needs MAJOR.MINOR.PATCH with an optional -pre.release, as in 2.4.0 or 3.0.0-rc.1");
                }
                if (!fitsLong(v)) {
                    throw new IllegalArgumentException(field + ": '" + Inputs.printable(v) + "' has a numeric pre-release part over "
                            + SemVerBound.MAX_NUMERIC_IDENTIFIER + " digits");
                }
            }
        }
        return List.copyOf(values);
    }

    private static boolean fitsLong(String version) {
        int run = 0;
        for (int i = 0; i < version.length(); i++) {
            run = Character.isDigit(version.charAt(i)) ? run + 1 : 0;
            if (run > SemVerBound.MAX_NUMERIC_IDENTIFIER) {
                return false;
            }
        }
        return true;
    }
}
