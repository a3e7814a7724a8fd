package io.jenkins.plugins.releaseline.rollout.router;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.releaseline.engine.rollout.router.HaproxyRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.NginxRouter;
import java.util.List;
import org.junit.jupiter.api.Test;

@WithJenkinsConfiguredWithCode
class TrafficRoutersConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("traffic-routers.yml")
    void routersOfEveryKindAreReadFromYaml(JenkinsConfiguredWithCodeRule j) throws Exception {
        TrafficRouters routers = TrafficRouters.get();
        assertEquals(
                List.of("prod-lb", "edge", "alb-prod", "dns"),
                routers.getRouters().stream().map(RouterDefinition::getName).toList());

        HaproxyRouterDefinition lb = assertInstanceOf(HaproxyRouterDefinition.class, routers.router("prod-lb"));
        assertEquals("http://10.0.0.12:8080", lb.targetUrlMap().get("green"));
        HaproxyRouter engine = assertInstanceOf(HaproxyRouter.class, lb.toRouter(null, null));
        assertEquals(List.of("blue", "green"), engine.backends());
        assertEquals("app", engine.haproxyBackend());

        NginxRouterDefinition edge = assertInstanceOf(NginxRouterDefinition.class, routers.router("edge"));
        NginxRouter nginx = assertInstanceOf(NginxRouter.class, edge.toRouter(null, null));
        assertTrue(nginx.render(io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit.all(
                        "green", nginx.backends()))
                .contains("server 10.0.0.12:8080 weight=100;"));

        AlbRouterDefinition alb = assertInstanceOf(AlbRouterDefinition.class, routers.router("alb-prod"));
        assertEquals("aws-deploy", alb.getCredentialsId());
        assertInstanceOf(PipelineRouterDefinition.class, routers.router("dns"));
    }

    @Test
    @ConfiguredWithCode("traffic-routers.yml")
    void routersAreExported(JenkinsConfiguredWithCodeRule j) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getUnclassifiedRoot(context).get("trafficRouters");
        assertNotNull(node);
        String yaml = toYamlString(node);
        assertTrue(yaml.contains("haproxyBackend: \"app\""), yaml);
        assertTrue(yaml.contains("region: \"eu-west-1\""), yaml);
        assertTrue(yaml.contains("initiallyLive: \"blue\""), yaml);
    }
}
