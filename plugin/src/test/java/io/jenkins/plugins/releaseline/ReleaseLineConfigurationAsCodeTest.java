package io.jenkins.plugins.releaseline;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toStringFromYamlFile;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import org.junit.jupiter.api.Test;

@WithJenkinsConfiguredWithCode
class ReleaseLineConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void settingsAreReadFromYaml(JenkinsConfiguredWithCodeRule j) {
        ReleaseLineConfiguration config = ReleaseLineConfiguration.get();
        assertEquals("ci-east", config.getControllerId());
        assertNull(config.getJdbcUrl(), "no URL given: the embedded store");
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void settingsAreExported(JenkinsConfiguredWithCodeRule j) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode releaseLine = getUnclassifiedRoot(context).get("releaseLine");

        assertEquals(toStringFromYamlFile(this, "configuration-as-code-expected.yml"), toYamlString(releaseLine));
    }
}
