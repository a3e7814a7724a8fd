package io.jenkins.plugins.releaseline.engine.toggles;

import java.util.List;
import java.util.Map;

/** A set of toggles that uses every part of the model: rules of each operator, rollouts, A/B splits, off and killed. */
final class ToggleExamples {

    static final String ENV = "prod";
    static final String PRINCIPAL = "alice";

    private ToggleExamples() {}

    static TargetingRule rule(String attribute, RuleOperator op, String variant, String... values) {
        return new TargetingRule(attribute, op, List.of(values), variant);
    }

    /** Ten rules of every kind ahead of a 25% rollout: the shape the speed target is set for. */
    static EnvironmentSetting tenRulesAndRollout() {
        return new EnvironmentSetting(true, false, "off", List.of(
                rule("email", RuleOperator.STARTS_WITH, "on", "qa-"),
                rule("country", RuleOperator.IN, "off", "KP", "IR", "SY", "CU"),
                rule("plan", RuleOperator.EQUALS, "on", "enterprise"),
                rule("version", RuleOperator.SEMVER_LESS, "off", "2.0.0"),
                rule("version", RuleOperator.SEMVER_GREATER_OR_EQUAL, "on", "3.1.0-rc.2"),
                rule("beta", RuleOperator.EQUALS, "on", "yes"),
                rule("age", RuleOperator.EQUALS, "on", "42"),
                rule("region", RuleOperator.STARTS_WITH, "on", "eu-"),
                rule("version", RuleOperator.SEMVER_SAME_MINOR, "on", "2.5.0"),
                rule("tenant", RuleOperator.IN, "on", "acme", "globex", "initech")),
                Rollout.of(25, "on"));
    }

    static void defineAll(FeatureToggles toggles) {
        toggles.addEnvironment(PRINCIPAL, ENV, null);
        toggles.define(PRINCIPAL, ToggleDefinition.bool("ten-rules", "Ten rules and a 25% rollout", "team-checkout"), null);
        toggles.configure(PRINCIPAL, "ten-rules", ENV, tenRulesAndRollout(), null);

        toggles.define(PRINCIPAL, ToggleDefinition.bool("simple-on", "On for everyone", "team-a"), null);
        toggles.set(PRINCIPAL, "simple-on", ENV, true, null, null);

        toggles.define(PRINCIPAL, ToggleDefinition.bool("disabled", "Off", "team-a"), null);

        toggles.define(PRINCIPAL, ToggleDefinition.bool("killed", "Killed", "team-a"), null);
        toggles.set(PRINCIPAL, "killed", ENV, true, 50, null);
        toggles.kill(PRINCIPAL, "killed", ENV, "INC-1");

        toggles.define(PRINCIPAL, ToggleDefinition.bool("ten-percent", "Rollout only", "team-a"), null);
        toggles.set(PRINCIPAL, "ten-percent", ENV, true, 10, null);

        toggles.define(PRINCIPAL, ToggleDefinition.bool("zero-percent", "Rollout at 0%", "team-a"), null);
        toggles.set(PRINCIPAL, "zero-percent", ENV, true, 0, null);

        Map<String, Object> ab = Map.of("control", "control", "treatment", "treatment");
        toggles.define(PRINCIPAL, new ToggleDefinition("checkout-ab", "A/B of the checkout", "team-b", ToggleType.STRING,
                new java.util.LinkedHashMap<>(ab)), null);
        toggles.configure(PRINCIPAL, "checkout-ab", ENV, new EnvironmentSetting(true, false, "control", List.of(
                rule("plan", RuleOperator.EQUALS, "treatment", "beta-tester")),
                new Rollout(100, List.of(new VariantWeight("control", 50), new VariantWeight("treatment", 50)))), null);

        java.util.LinkedHashMap<String, Object> three = new java.util.LinkedHashMap<>();
        three.put("none", "none");
        three.put("red", "red");
        three.put("green", "green");
        three.put("blue", "blue");
        toggles.define(PRINCIPAL, new ToggleDefinition("colour-test", "A partial rollout over three variants", "team-c",
                ToggleType.STRING, three), null);
        toggles.configure(PRINCIPAL, "colour-test", ENV, new EnvironmentSetting(true, false, "none", List.of(
                rule("version", RuleOperator.SEMVER_SAME_MAJOR, "blue", "4.0.0"),
                rule("age", RuleOperator.EQUALS, "red", "7")),
                new Rollout(30, List.of(new VariantWeight("red", 20), new VariantWeight("green", 30), new VariantWeight("blue", 50)))), null);

        toggles.define(PRINCIPAL, new ToggleDefinition("banner", "One variant to 60%", "team-c", ToggleType.STRING,
                new java.util.LinkedHashMap<>(Map.of("old", "old", "new", "new"))), null);
        toggles.configure(PRINCIPAL, "banner", ENV, new EnvironmentSetting(true, false, "old", List.of(
                rule("version", RuleOperator.SEMVER_EQUAL, "new", "1.2.3"),
                rule("version", RuleOperator.SEMVER_NOT_EQUAL, "old", "2.0.0"),
                rule("version", RuleOperator.SEMVER_LESS_OR_EQUAL, "new", "0.9.0")),
                Rollout.of(60, "new")), null);

        toggles.define(PRINCIPAL, ToggleDefinition.bool("semver-gt", "Semver greater and rules only", "team-d"), null);
        toggles.configure(PRINCIPAL, "semver-gt", ENV, new EnvironmentSetting(true, false, "off", List.of(
                rule("version", RuleOperator.SEMVER_GREATER, "on", "2.5.0-beta.2"),
                rule("targetingKey", RuleOperator.STARTS_WITH, "on", "user-1")), null), null);
    }
}
