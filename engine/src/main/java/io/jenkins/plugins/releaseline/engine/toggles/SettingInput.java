package io.jenkins.plugins.releaseline.engine.toggles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an environment's setting from loosely typed maps and lists, as a pipeline step or YAML gives them:
 * <pre>
 * enabled: true, defaultVariant: 'control',
 * rules: [[attribute: 'plan', operator: 'EQUALS', values: ['beta-tester'], variant: 'treatment']],
 * percentage: 30, split: [control: 50, treatment: 50]
 * </pre>
 * Every refusal names the field ({@code rules[1].operator}, {@code split.treatment}) and what is expected.
 */
public final class SettingInput {

    private SettingInput() {}

    /** The setting {@code input} describes, starting from {@code current} for what it leaves out. */
    public static EnvironmentSetting parse(Map<String, ?> input, EnvironmentSetting current) {
        if (input == null) {
            throw new IllegalArgumentException("setting: missing");
        }
        for (String k : input.keySet()) {
            if (!List.of("enabled", "defaultVariant", "rules", "percentage", "split").contains(k)) {
                throw new IllegalArgumentException(k + ": not a setting; use enabled, defaultVariant, rules, percentage and split");
            }
        }
        boolean enabled = input.containsKey("enabled") ? bool("enabled", input.get("enabled")) : current.enabled();
        String defaultVariant = input.containsKey("defaultVariant") ? text("defaultVariant", input.get("defaultVariant")) : current.defaultVariant();
        List<TargetingRule> rules = input.containsKey("rules") ? rules(input.get("rules")) : current.rules();
        Rollout rollout = current.rollout();
        if (input.containsKey("percentage") || input.containsKey("split")) {
            int percentage = input.containsKey("percentage") ? whole("percentage", input.get("percentage"))
                    : rollout != null ? rollout.percentage() : 100;
            List<VariantWeight> split = input.containsKey("split") ? split(input.get("split"))
                    : rollout != null ? rollout.split() : null;
            if (split == null) {
                throw new IllegalArgumentException("split: a percentage needs the variants it serves, as in split: [on: 100]");
            }
            rollout = new Rollout(percentage, split);
        }
        return new EnvironmentSetting(enabled, !enabled && current.killed(), defaultVariant, rules, rollout);
    }

    private static List<TargetingRule> rules(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("rules: expected a list of rules, each [attribute:, operator:, values:, variant:]");
        }
        List<TargetingRule> rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String field = "rules[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(field + ": expected [attribute:, operator:, values:, variant:]");
            }
            try {
                String attribute = text("attribute", m.get("attribute"));
                RuleOperator operator = operator(m.get("operator"));
                rules.add(TargetingRule.of(attribute, operator, m.get("values"), text("variant", m.get("variant"))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + "." + e.getMessage(), e);
            }
        }
        return rules;
    }

    private static RuleOperator operator(Object value) {
        String name = text("operator", value);
        try {
            return RuleOperator.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("operator: '" + name + "' is not one of " + Arrays.toString(RuleOperator.values()), e);
        }
    }

    private static List<VariantWeight> split(Object value) {
        if (!(value instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new IllegalArgumentException("split: expected variants with weights, as in [control: 50, treatment: 50]");
        }
        List<VariantWeight> split = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String variant = text("split", e.getKey());
            split.add(new VariantWeight(variant, whole("split." + variant, e.getValue())));
        }
        return split;
    }

    private static String text(String field, Object value) {
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        throw new IllegalArgumentException(field + ": expected text, not " + describe(value));
    }

    private static boolean bool(String field, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(field + ": expected true or false, not " + describe(value));
    }

    private static int whole(String field, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            long n = ((Number) value).longValue();
            if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                return (int) n;
            }
        }
        throw new IllegalArgumentException(field + ": expected a whole number from 0 to 100, not " + describe(value));
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : "'" + value + "' (" + value.getClass().getSimpleName() + ")";
    }
}
