package io.jenkins.plugins.releaseline.engine.toggles;

import java.util.List;

/**
 * How a toggle behaves in one environment. When {@code enabled}: the first matching rule decides; otherwise the
 * rollout (if any) serves its split to its percentage of targeting keys; everyone else gets {@code defaultVariant}.
 * When not enabled the application's own default applies (OpenFeature's DISABLED). {@code killed} records that
 * the kill switch turned it off; enabling it again clears that.
 */
public record EnvironmentSetting(boolean enabled, boolean killed, String defaultVariant, List<TargetingRule> rules, Rollout rollout) {

    public static final int MAX_RULES = 50;

    public EnvironmentSetting {
        defaultVariant = ToggleDefinition.requireVariantName("defaultVariant", defaultVariant);
        rules = rules == null ? List.of() : List.copyOf(rules);
        if (rules.size() > MAX_RULES) {
            throw new IllegalArgumentException("rules: " + rules.size() + " is over the limit of " + MAX_RULES);
        }
        if (enabled) {
            killed = false;
        }
        // Everyone in, one variant: that variant is simply the default.
        if (rollout != null && rollout.percentage() == 100 && rollout.split().size() == 1) {
            defaultVariant = rollout.split().get(0).variant();
            rollout = null;
        }
    }

    /** A new toggle's setting: off, serving the first variant once it is turned on. */
    public static EnvironmentSetting initial(ToggleDefinition toggle) {
        String first = toggle.type() == ToggleType.BOOLEAN ? ToggleDefinition.ON : toggle.variants().keySet().iterator().next();
        return new EnvironmentSetting(false, false, first, List.of(), null);
    }

    /** Refuses a setting that names a variant the toggle does not have; the field is named. */
    public void requireVariantsOf(ToggleDefinition toggle) {
        require(toggle, "defaultVariant", defaultVariant);
        for (int i = 0; i < rules.size(); i++) {
            require(toggle, "rules[" + i + "].variant", rules.get(i).variant());
        }
        if (rollout != null) {
            for (int i = 0; i < rollout.split().size(); i++) {
                require(toggle, "rollout.split[" + i + "].variant", rollout.split().get(i).variant());
            }
        }
    }

    private static void require(ToggleDefinition toggle, String field, String variant) {
        if (!toggle.hasVariant(variant)) {
            throw new IllegalArgumentException(field + ": '" + variant + "' is not a variant of toggle '" + toggle.key()
                    + "'; its variants are " + toggle.variants().keySet());
        }
    }

    public EnvironmentSetting withEnabled(boolean on) {
        return new EnvironmentSetting(on, on ? false : killed, defaultVariant, rules, rollout);
    }

    public EnvironmentSetting killedNow() {
        return new EnvironmentSetting(false, true, defaultVariant, rules, rollout);
    }

    /**
     * The share of targeting keys (percent) that get {@code variant} when no rule matches: 100 or 0 without a
     * rollout, the rollout's percentage times the variant's weight otherwise (plus the rest when it is the default).
     */
    public double percentServed(String variant) {
        if (rollout == null) {
            return variant.equals(defaultVariant) ? 100 : 0;
        }
        double share = 0;
        for (VariantWeight w : rollout.split()) {
            if (w.variant().equals(variant)) {
                share += rollout.percentage() * w.weight() / 100.0;
            }
        }
        if (variant.equals(defaultVariant)) {
            share += 100 - rollout.percentage();
        }
        return share;
    }

    /** Serves one variant to everyone (or nothing, when disabled): a state that can be removed from the code. */
    public boolean settled() {
        return !enabled || (rules.isEmpty() && rollout == null);
    }
}
