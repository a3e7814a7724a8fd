package io.jenkins.plugins.releaseline.engine.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A setting as a pipeline step gives it: maps and lists, with every mistake named by its field. */
class SettingInputTest {

    private static final EnvironmentSetting OFF = new EnvironmentSetting(false, false, "control", List.of(), null);

    @Test
    void readsRulesAndASplitInOrder() {
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("control", 50);
        split.put("treatment", 50);
        EnvironmentSetting s = SettingInput.parse(Map.of(
                "enabled", true,
                "rules", List.of(Map.of("attribute", "plan", "operator", "equals", "values", List.of("beta-tester"), "variant", "treatment"),
                        Map.of("attribute", "version", "operator", "SEMVER_LESS", "values", "2.0.0", "variant", "control")),
                "percentage", 30,
                "split", split), OFF);
        assertThat(s.enabled()).isTrue();
        assertThat(s.defaultVariant()).isEqualTo("control");
        assertThat(s.rules()).extracting(TargetingRule::operator).containsExactly(RuleOperator.EQUALS, RuleOperator.SEMVER_LESS);
        assertThat(s.rollout()).isEqualTo(new Rollout(30, List.of(new VariantWeight("control", 50), new VariantWeight("treatment", 50))));
    }

    @Test
    void leavesOutWhatIsNotGiven() {
        EnvironmentSetting current = new EnvironmentSetting(true, false, "control",
                List.of(new TargetingRule("plan", RuleOperator.EQUALS, List.of("pro"), "treatment")),
                new Rollout(20, List.of(new VariantWeight("treatment", 100))));
        EnvironmentSetting s = SettingInput.parse(Map.of("percentage", 40), current);
        assertThat(s.rules()).isEqualTo(current.rules());
        assertThat(s.rollout()).isEqualTo(new Rollout(40, List.of(new VariantWeight("treatment", 100))));
    }

    @Test
    void namesTheFieldOfEachMistake() {
        assertThatThrownBy(() -> SettingInput.parse(Map.of("rules", List.of(Map.of("attribute", "plan", "operator", "LIKE",
                "values", "x", "variant", "on"))), OFF)).hasMessageStartingWith("rules[0].operator: 'LIKE' is not one of");
        assertThatThrownBy(() -> SettingInput.parse(Map.of("rules", List.of(Map.of("attribute", "age", "operator", "STARTS_WITH",
                "values", 42, "variant", "on"))), OFF)).hasMessageStartingWith("rules[0].values[0]: STARTS_WITH compares text");
        assertThatThrownBy(() -> SettingInput.parse(Map.of("split", Map.of("control", 60, "treatment", 50)), OFF))
                .hasMessageStartingWith("split: the variant weights sum to 110");
        assertThatThrownBy(() -> SettingInput.parse(Map.of("percentage", 30), OFF)).hasMessageStartingWith("split:");
        assertThatThrownBy(() -> SettingInput.parse(Map.of("percentage", "thirty", "split", Map.of("on", 100)), OFF))
                .hasMessageStartingWith("percentage: expected a whole number");
        assertThatThrownBy(() -> SettingInput.parse(Map.of("enabled", "yes"), OFF)).hasMessageStartingWith("enabled: expected true or false");
        assertThatThrownBy(() -> SettingInput.parse(Map.of("colour", "red"), OFF)).hasMessageStartingWith("colour: not a setting");
    }
}
