package io.jenkins.plugins.releaseline.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class PromotionConfigurationTest {

    @Test
    void theDefaultLineIsIntegrationStagingProd(JenkinsRule r) {
        assertEquals(
                "integration -> staging -> prod",
                PromotionConfiguration.get().toOrder().toString());
    }

    @Test
    void aGapIsRefusedAndNothingChanges(JenkinsRule r) {
        EnvironmentConfig prod = new EnvironmentConfig("prod");
        prod.setPromotesFrom("integration");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PromotionConfiguration.get()
                        .setEnvironments(
                                List.of(new EnvironmentConfig("integration"), new EnvironmentConfig("staging"), prod)));
        assertEquals(
                "environments: a gap: 'staging' promotes from no environment but comes after 'integration'; only the first "
                        + "environment may start the line (set its promotesFrom to 'integration')",
                e.getMessage());
        assertEquals(
                "integration -> staging -> prod",
                PromotionConfiguration.get().toOrder().toString());
    }

    @Test
    void theEnvironmentsSurviveTheFormAndARestartAndAreAudited(JenkinsRule r) throws Throwable {
        EnvironmentConfig live = new EnvironmentConfig("live");
        live.setPromotesFrom("dev");
        live.setSoakMinutes(30);
        live.setApprovals(1);
        live.setApprovers("alice");
        live.setBranches("release/*");
        PromotionConfiguration.get().setEnvironments(List.of(new EnvironmentConfig("dev"), live));
        PromotionService.get().engine();

        r.configRoundtrip();
        assertEquals("dev -> live", PromotionConfiguration.get().toOrder().toString());
        assertEquals(30, PromotionConfiguration.get().getEnvironments().get(1).getSoakMinutes());
        assertEquals(
                "release/*",
                PromotionConfiguration.get().getEnvironments().get(1).getBranches());

        String stored = ReleaseLineStore.get()
                .auditTrail()
                .latest(AuditScope.of(AuditScope.Kind.CONFIG, "promotion"))
                .orElseThrow()
                .after();
        assertEquals(true, stored.contains("\"live\""), stored);

        r.restart();
        assertEquals("dev -> live", PromotionConfiguration.get().toOrder().toString());
    }
}
