package io.jenkins.plugins.releaseline.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.FailureBuilder;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class PromoteBuildWrapperTest {

    @Test
    void freestyleBuildStepsAreTheDeploymentAndTheirResultIsRecorded(JenkinsRule r) throws Exception {
        PromotionConfiguration.get().setEnvironments(List.of(new EnvironmentConfig("integration")));
        FreeStyleProject ok = r.createFreeStyleProject("ok");
        ok.getBuildWrappersList().add(wrapper("1.0.0", "a"));
        FreeStyleBuild b = r.buildAndAssertSuccess(ok);
        r.assertLogContains("PASS  deploy lock: free", b);
        long id = b.getAction(PromotionRunAction.class).getPromotionIds().get(0);
        assertEquals(
                PromotionStatus.DEPLOYED,
                PromotionService.get().engine().promotion(id).status());

        FreeStyleProject bad = r.createFreeStyleProject("bad");
        bad.getBuildWrappersList().add(wrapper("1.1.0", "b"));
        bad.getBuildersList().add(new FailureBuilder());
        FreeStyleBuild f = r.buildAndAssertStatus(Result.FAILURE, bad);
        long failed = f.getAction(PromotionRunAction.class).getPromotionIds().get(0);
        assertEquals(
                PromotionStatus.FAILED,
                PromotionService.get().engine().promotion(failed).status());
        assertEquals(List.of(), PromotionService.get().engine().locks());
    }

    @Test
    void theWrapperSurvivesTheConfigurationForm(JenkinsRule r) throws Exception {
        FreeStyleProject p = r.createFreeStyleProject();
        PromoteBuildWrapper w = wrapper("1.0.0", "a");
        w.setWait(true);
        w.setTimeout(30);
        p.getBuildWrappersList().add(w);
        r.configRoundtrip(p);
        r.assertEqualDataBoundBeans(w, p.getBuildWrappersList().get(PromoteBuildWrapper.class));
    }

    static PromoteBuildWrapper wrapper(String version, String hexDigit) {
        PromoteBuildWrapper w = new PromoteBuildWrapper("integration", "app", version);
        w.setDigest("sha256:" + hexDigit.repeat(64));
        return w;
    }
}
