package io.jenkins.plugins.releaseline.toggles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The arguments of the toggle steps as docs/toggles.md writes them, and as the Snippet Generator's text boxes take them. */
@WithJenkins
class ToggleStepArgumentsTest {

    @Test
    void theDocumentedMapSyntaxBindsRulesAsDescribables(JenkinsRule j) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("attribute", "plan");
        rule.put("operator", "EQUALS");
        rule.put("values", List.of("beta-tester"));
        rule.put("variant", "treatment");
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("control", 50);
        split.put("treatment", 50);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("key", "checkout-ab");
        args.put("environment", "prod");
        args.put("defaultVariant", "control");
        args.put("rules", List.of(rule));
        args.put("percentage", 30);
        args.put("split", split);

        ConfigureFeatureToggleStep step =
                DescribableModel.of(ConfigureFeatureToggleStep.class).instantiate(args, null);

        TargetingRuleSpec bound = step.getRules().get(0);
        assertEquals("plan", bound.getAttribute());
        assertEquals("EQUALS", bound.getOperator());
        assertEquals(List.of("beta-tester"), bound.getValues());
        assertEquals("treatment", bound.getVariant());
        // what the engine reads is what the map said
        assertEquals(List.of(rule), step.input().get("rules"));
        assertEquals(split, step.input().get("split"));
        assertEquals(30, step.input().get("percentage"));
    }

    @Test
    void theSnippetGeneratorsTextBoxesReadNameValuePairs(JenkinsRule j) {
        assertEquals(Map.of("control", 60, "treatment", 40), SnippetForm.keyValues("control=60, treatment = 40", true));
        assertEquals(
                Map.of("targetingKey", "user-42", "plan", "pro"),
                SnippetForm.keyValues("targetingKey=user-42, plan=pro", false));
        assertEquals(Map.of("build", "42"), SnippetForm.keyValues("build=42", false));
        assertNull(SnippetForm.keyValues("  ", true));
        assertThrows(IllegalArgumentException.class, () -> SnippetForm.keyValues("control 50", true));
        assertEquals(
                "control=60, treatment=40",
                SnippetForm.keyValueText(SnippetForm.keyValues("control=60,treatment=40", true)));
    }
}
