package io.jenkins.plugins.releaseline.engine.toggles;

import static io.jenkins.plugins.releaseline.engine.toggles.ToggleExamples.PRINCIPAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal names the field, says what to do, and leaves the store, the audit trail and the snapshot as they were. */
class ToggleBadInputTest {

    @TempDir
    Path folder;

    Store store;
    AuditTrail audit;
    FeatureToggles toggles;

    @BeforeEach
    void open() {
        store = StoreTarget.h2(folder).open();
        TestClock clock = new TestClock(Instant.parse("2026-10-01T08:00:00Z"));
        audit = new AuditTrail(store, clock);
        toggles = new FeatureToggles(store, audit, clock);
        toggles.addEnvironment(PRINCIPAL, "prod", null);
        toggles.define(PRINCIPAL, ToggleDefinition.bool("new-checkout", "x", "team"), null);
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("control", "control");
        ab.put("treatment", "treatment");
        toggles.define(PRINCIPAL, new ToggleDefinition("ab", "A/B", "team", ToggleType.STRING, ab), null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void refused(ThrowingCallable change, String field, String... phrases) {
        long auditBefore = audit.size();
        List<ToggleState> before = toggles.toggles();
        assertThatThrownBy(change).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + ":")
                .hasMessageContainingAll(phrases);
        assertThat(audit.size()).as("nothing audited").isEqualTo(auditBefore);
        assertThat(new FeatureToggles(store, audit, new TestClock(Instant.EPOCH)).toggles()).as("nothing stored").isEqualTo(before);
        assertThat(toggles.toggles()).as("snapshot unchanged").isEqualTo(before);
    }

    @Test
    void unknownEnvironment() {
        refused(() -> toggles.set(PRINCIPAL, "new-checkout", "qa", true, null, null), "environment", "'qa' is not defined", "[prod]");
    }

    @Test
    void unknownToggle() {
        refused(() -> toggles.set(PRINCIPAL, "no-such", "prod", true, null, null), "key", "'no-such' is not defined");
    }

    @Test
    void percentageOutsideZeroToHundred() {
        refused(() -> toggles.set(PRINCIPAL, "new-checkout", "prod", true, 101, null), "percentage", "101", "0..100");
        refused(() -> toggles.set(PRINCIPAL, "new-checkout", "prod", true, -1, null), "percentage", "-1");
        assertThatThrownBy(() -> new Rollout(150, List.of(new VariantWeight("on", 100)))).hasMessageStartingWith("percentage:");
    }

    @Test
    void variantWeightsNotSummingToHundred() {
        refused(() -> toggles.configure(PRINCIPAL, "ab", "prod", new EnvironmentSetting(true, false, "control", List.of(),
                new Rollout(100, List.of(new VariantWeight("control", 60), new VariantWeight("treatment", 50)))), null),
                "split", "sum to 110", "must sum to 100");
    }

    @Test
    void aVariantTheToggleDoesNotHave() {
        refused(() -> toggles.configure(PRINCIPAL, "ab", "prod", new EnvironmentSetting(true, false, "control",
                List.of(ToggleExamples.rule("plan", RuleOperator.EQUALS, "purple", "pro")), null), null),
                "rules[0].variant", "'purple' is not a variant", "[control, treatment]");
    }

    @Test
    void aSettingGivenAsMapsIsCheckedInsideTheTransaction() {
        refused(() -> toggles.configure(PRINCIPAL, "ab", "prod", Map.of("rules", List.of(Map.of("attribute", "plan",
                "operator", "LIKE", "values", "x", "variant", "treatment"))), null), "rules[0].operator", "'LIKE' is not one of");
        EnvironmentSetting s = toggles.configure(PRINCIPAL, "ab", "prod", Map.of("enabled", true, "split",
                new LinkedHashMap<>(Map.of("control", 50, "treatment", 50))), null);
        assertThat(s.rollout().split()).hasSize(2);
        assertThat(toggles.history("ab", 1).get(0).action()).isEqualTo("toggle.configure");
    }

    @Test
    void keysWithSpacesOrThreeHundredCharacters() {
        refused(() -> toggles.define(PRINCIPAL, ToggleDefinition.bool("new checkout", "", ""), null), "key", "no spaces");
        refused(() -> toggles.define(PRINCIPAL, ToggleDefinition.bool("k".repeat(300), "", ""), null), "key", "300 characters", "100");
    }

    @Test
    void ruleOnAnAttributeOfTheWrongType() {
        assertThatThrownBy(() -> TargetingRule.of("age", RuleOperator.STARTS_WITH, 42, "on"))
                .hasMessageStartingWith("values[0]:").hasMessageContaining("compares text").hasMessageContaining("Integer");
        assertThatThrownBy(() -> TargetingRule.of("version", RuleOperator.SEMVER_GREATER, "banana", "on"))
                .hasMessageStartingWith("values[0]:").hasMessageContaining("not a semantic version");
        assertThatThrownBy(() -> TargetingRule.of("country", RuleOperator.EQUALS, List.of("DE", "FR"), "on"))
                .hasMessageStartingWith("values:").hasMessageContaining("use IN");
        assertThatThrownBy(() -> TargetingRule.of("a.b", RuleOperator.EQUALS, "x", "on"))
                .hasMessageStartingWith("attribute:");
    }

    @Test
    void malformedContextIsRefusedWithTheFieldNamed() {
        Map<String, Object> listValue = new HashMap<>(Map.of("targetingKey", "u1", "tags", List.of("a")));
        assertThatThrownBy(() -> ToggleContext.of(listValue)).hasMessageStartingWith("context.tags:").hasMessageContaining("a list");
        assertThatThrownBy(() -> ToggleContext.of(Map.of("targetingKey", 42))).hasMessageStartingWith("context.targetingKey:");
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("plan", null);
        assertThatThrownBy(() -> ToggleContext.of(nullValue)).hasMessageStartingWith("context.plan:");
        assertThatThrownBy(() -> ToggleContext.of(Map.of("bad name", "x"))).hasMessageStartingWith("context:");

        // an application passing a malformed context gets its default, with the field named, never an exception
        ToggleEvaluation e = toggles.evaluate("new-checkout", "prod", listValue, Boolean.FALSE);
        assertThat(e.value()).isEqualTo(false);
        assertThat(e.reason()).isEqualTo(EvaluationReason.ERROR);
        assertThat(e.errorCode()).isEqualTo(EvaluationError.INVALID_CONTEXT);
        assertThat(e.errorMessage()).startsWith("context.tags:");
    }

    @Test
    void anUnknownToggleReadByAnApplicationGetsTheDefault() {
        ToggleEvaluation e = toggles.evaluate("never-defined", "prod", ToggleContext.ofTargetingKey("u1"), Boolean.TRUE);
        assertThat(e.value()).isEqualTo(true);
        assertThat(e.variant()).isNull();
        assertThat(e.reason()).isEqualTo(EvaluationReason.ERROR);
        assertThat(e.errorCode()).isEqualTo(EvaluationError.FLAG_NOT_FOUND);
        ToggleEvaluation env = toggles.evaluate("new-checkout", "moon", ToggleContext.EMPTY, "dflt");
        assertThat(env.errorCode()).isEqualTo(EvaluationError.FLAG_NOT_FOUND);
        assertThat(env.errorMessage()).contains("environment 'moon'");
        assertThat(toggles.evaluate(null, null, (ToggleContext) null, null).errorCode()).isEqualTo(EvaluationError.FLAG_NOT_FOUND);
    }

    @Test
    void removingAVariantStillInUseIsRefused() {
        toggles.configure(PRINCIPAL, "ab", "prod", new EnvironmentSetting(true, false, "treatment", List.of(), null), null);
        refused(() -> toggles.define(PRINCIPAL, new ToggleDefinition("ab", "A/B", "team", ToggleType.STRING,
                Map.of("control", "control")), null), "variants", "environment 'prod'", "'treatment'");
    }

    @Test
    void exportOfAnUnknownEnvironmentIsRefused() {
        assertThatThrownBy(() -> FlagdExport.of(toggles.snapshot(), "qa")).hasMessageStartingWith("environment:");
    }
}
