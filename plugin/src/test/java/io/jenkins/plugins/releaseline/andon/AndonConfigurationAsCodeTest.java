package io.jenkins.plugins.releaseline.andon;

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
import io.jenkins.plugins.releaseline.engine.andon.AndonConfig;
import io.jenkins.plugins.releaseline.engine.andon.ReleasePolicy;
import org.junit.jupiter.api.Test;

@WithJenkinsConfiguredWithCode
class AndonConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("andon-casc.yml")
    void lineJobsWindowsAndPolicyAreReadFromYamlAndReachTheBoard(JenkinsConfiguredWithCodeRule j) {
        AndonConfiguration config = AndonConfiguration.get();
        assertEquals("team-a/payments/main", config.getLines().get(0).getJobPath());
        assertEquals("STAY_PULLED", config.getLines().get(0).getReleasePolicy());
        assertEquals("0 23 * * 5", config.getWindows().get(0).getCronStart());
        assertEquals("2026-12-23T00:00:00Z", config.getWindows().get(1).getFrom());

        AndonConfig engine = AndonService.get().board().config();
        assertEquals(ReleasePolicy.STAY_PULLED, engine.lines().get(0).policy());
        assertEquals("weekend", engine.windows().get(0).name());
        assertTrue(engine.windows().get(1).scope().isEverything());
    }

    @Test
    @ConfiguredWithCode("andon-casc.yml")
    void theSettingsExportAsTheyWereWritten(JenkinsConfiguredWithCodeRule j) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode andon = getUnclassifiedRoot(context).get("andon");
        assertEquals(toStringFromYamlFile(this, "andon-casc-expected.yml"), toYamlString(andon));
    }
}
