package io.jenkins.plugins.releaseline.promotion;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toStringFromYamlFile;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.LockPolicy;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

@WithJenkinsConfiguredWithCode
class PromotionConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("promotion-casc.yml")
    void environmentsAndRulesAreReadAndReachTheStore(JenkinsConfiguredWithCodeRule j) {
        EnvironmentOrder order = PromotionConfiguration.get().toOrder();
        assertEquals("dev -> qa -> live", order.toString());
        Environment live = order.require("live");
        assertEquals(Duration.ofMinutes(90), live.soak());
        assertEquals(2, live.approvals().required());
        assertEquals(Set.of("alice", "bob"), live.approvals().users());
        assertEquals(Set.of("release-managers"), live.approvals().groups());
        assertEquals(LockPolicy.REFUSE, live.lockPolicy());
        assertEquals("release/*", live.branches().get(0).glob());
        assertEquals(
                order, PromotionService.get().engine().environments(), "the engine runs with the configured order");
    }

    @Test
    @ConfiguredWithCode("promotion-casc.yml")
    void environmentsAreExported(JenkinsConfiguredWithCodeRule j) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode promotion = getUnclassifiedRoot(context).get("promotion");
        assertEquals(toStringFromYamlFile(this, "promotion-casc-expected.yml"), toYamlString(promotion));
    }
}
