package io.jenkins.plugins.releaseline.engine.toggles;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One toggle prepared for evaluation in every environment; immutable, shared by all evaluating threads. */
final class CompiledToggle {

    /** What the export's inner split hashes when a partial rollout serves several variants (see {@link FlagdExport}). */
    static final String SPLIT_SALT = "/split/";

    final ToggleDefinition definition;
    final Map<String, Setting> settings;

    CompiledToggle(ToggleDefinition definition, Map<String, EnvironmentSetting> byEnvironment) {
        this.definition = definition;
        Map<String, Setting> compiled = new HashMap<>();
        byEnvironment.forEach((env, s) -> compiled.put(env, new Setting(definition, s)));
        this.settings = Map.copyOf(compiled);
    }

    /** One environment's setting, compiled. */
    static final class Setting {
        final String key;
        final boolean enabled;
        final String defaultVariant;
        final Object defaultValue;
        final CompiledRule[] rules;
        /** Hash prefix of the first fractional: the toggle key. */
        final FlagdBucketing.Prefix keyBytes;
        /** A partial rollout of several variants: first "in" (bucket below the percentage), then the split. */
        final float[] gate;
        /** The fractional that picks the variant; null without a rollout. */
        final float[] splitCumulative;
        final String[] splitVariants;
        final Object[] splitValues;
        final FlagdBucketing.Prefix splitPrefix;

        Setting(ToggleDefinition toggle, EnvironmentSetting s) {
            this.key = toggle.key();
            this.enabled = s.enabled();
            this.defaultVariant = s.defaultVariant();
            this.defaultValue = toggle.variants().get(s.defaultVariant());
            List<TargetingRule> r = s.rules();
            this.rules = new CompiledRule[r.size()];
            for (int i = 0; i < r.size(); i++) {
                rules[i] = new CompiledRule(r.get(i), toggle.variants().get(r.get(i).variant()));
            }
            this.keyBytes = new FlagdBucketing.Prefix(FlagdBucketing.utf8(toggle.key()));
            Rollout rollout = s.rollout();
            if (rollout == null) {
                gate = null;
                splitCumulative = null;
                splitVariants = null;
                splitValues = null;
                splitPrefix = null;
            } else if (rollout.split().size() == 1) {
                // [[variant, p], [default, 100 - p]] hashed on key + targetingKey
                gate = null;
                String v = rollout.split().get(0).variant();
                splitVariants = new String[] {v, s.defaultVariant()};
                splitValues = new Object[] {toggle.variants().get(v), defaultValue};
                splitCumulative = FlagdBucketing.cumulative(new int[] {rollout.percentage(), 100 - rollout.percentage()});
                splitPrefix = keyBytes;
            } else {
                int n = rollout.split().size();
                splitVariants = new String[n];
                splitValues = new Object[n];
                int[] weights = new int[n];
                for (int i = 0; i < n; i++) {
                    splitVariants[i] = rollout.split().get(i).variant();
                    splitValues[i] = toggle.variants().get(splitVariants[i]);
                    weights[i] = rollout.split().get(i).weight();
                }
                splitCumulative = FlagdBucketing.cumulative(weights);
                if (rollout.percentage() == 100) {
                    gate = null;
                    splitPrefix = keyBytes;
                } else {
                    gate = FlagdBucketing.cumulative(new int[] {rollout.percentage(), 100 - rollout.percentage()});
                    splitPrefix = new FlagdBucketing.Prefix(FlagdBucketing.utf8(toggle.key() + SPLIT_SALT));
                }
            }
        }

        ToggleEvaluation evaluate(ToggleContext context, Object applicationDefault) {
            if (!enabled) {
                return new ToggleEvaluation(key, applicationDefault, null, EvaluationReason.DISABLED, -1, Float.NaN, null, null);
            }
            for (int i = 0; i < rules.length; i++) {
                CompiledRule rule = rules[i];
                if (rule.matches(context.get(rule.attribute))) {
                    return new ToggleEvaluation(key, rule.variantValue, rule.variant, EvaluationReason.TARGETING_MATCH, i, Float.NaN, null, null);
                }
            }
            String targetingKey = context.targetingKey();
            if (splitCumulative == null || targetingKey == null) {
                return new ToggleEvaluation(key, defaultValue, defaultVariant, EvaluationReason.DEFAULT, -1, Float.NaN, null, null);
            }
            float bucket = FlagdBucketing.bucket(keyBytes, targetingKey);
            if (gate != null) {
                int in = FlagdBucketing.slot(bucket, gate);
                if (in < 0) {
                    return edge(applicationDefault, bucket);
                }
                if (in == 1) {
                    return new ToggleEvaluation(key, defaultValue, defaultVariant, EvaluationReason.DEFAULT, -1, bucket, null, null);
                }
                bucket = FlagdBucketing.bucket(splitPrefix, targetingKey);
            }
            int slot = FlagdBucketing.slot(bucket, splitCumulative);
            if (slot < 0) {
                return edge(applicationDefault, bucket);
            }
            return new ToggleEvaluation(key, splitValues[slot], splitVariants[slot], EvaluationReason.SPLIT, -1, bucket, null, null);
        }

        /** The float edge where the bucket is exactly 100: flagd finds no slot and fails; so do we, alike. */
        private ToggleEvaluation edge(Object applicationDefault, float bucket) {
            return new ToggleEvaluation(key, applicationDefault, null, EvaluationReason.ERROR, -1, bucket, EvaluationError.GENERAL,
                    "the targeting key hashed to bucket " + bucket + ", past the last slot (flagd fails alike)");
        }
    }
}
