package io.jenkins.plugins.releaseline.toggles;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toStringFromYamlFile;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleType;
import java.util.List;
import org.junit.jupiter.api.Test;

@WithJenkinsConfiguredWithCode
class FeatureTogglesConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void definitionsAreReadFromYamlAndWrittenToTheStore(JenkinsConfiguredWithCodeRule j) {
        FeatureTogglesConfiguration config = FeatureTogglesConfiguration.get();
        assertEquals(List.of("dev", "staging", "prod"), config.environmentNames());
        assertEquals(2, config.getToggles().size());
        assertEquals(FeatureTogglesConfiguration.ExportAccess.TOKEN_ONLY, config.getExportAccess());
        assertEquals(14, config.getStaleAfterDays());

        config.applyToStore("test");
        FeatureToggles engine = ToggleService.get().toggles();
        assertEquals(List.of("dev", "staging", "prod"), engine.environments());
        assertEquals(
                "team-checkout",
                engine.toggle("new-checkout").orElseThrow().definition().owner());
        assertEquals(
                ToggleType.STRING,
                engine.toggle("checkout-ab").orElseThrow().definition().type());
        assertTrue(engine.toggle("checkout-ab")
                .orElseThrow()
                .definition()
                .variants()
                .containsKey("treatment"));
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void definitionsAreExported(JenkinsConfiguredWithCodeRule j) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode toggles = getUnclassifiedRoot(context).get("featureToggles");
        assertEquals(toStringFromYamlFile(this, "configuration-as-code-expected.yml"), toYamlString(toggles));
    }
}
