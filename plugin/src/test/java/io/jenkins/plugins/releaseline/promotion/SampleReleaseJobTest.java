package io.jenkins.plugins.releaseline.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Result;
import io.jenkins.plugins.casc.ConfigurationAsCode;
import io.jenkins.plugins.releaseline.andon.AndonService;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.promotion.Deployment;
import io.jenkins.plugins.releaseline.engine.promotion.PendingApproval;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import io.jenkins.plugins.releaseline.toggles.ToggleService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The sample of {@code ./mvnw -pl plugin hpi:run}: src/hpi-run/jenkins.yaml applied as hpi:run applies it, the job it
 * creates built by admin, each prod promotion approved by release-manager on the build page, as a user would; then
 * the release must have ended as the rehearsal's does.
 */
@WithJenkins
class SampleReleaseJobTest {

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // two prod soak times of one minute, two canaries of 40 s
    void theSampleJobWalksTheReleaseOfTheRehearsal(JenkinsRule r) throws Exception {
        Path cli = Path.of(System.getProperty("releaseLine.sample.cli", "../cli/target/release-line.jar"))
                .toAbsolutePath()
                .normalize();
        assertTrue(
                Files.isRegularFile(cli),
                "the sample job runs the sample application from " + cli
                        + ", which is missing; build it first with ./mvnw -B install -DskipTests (or -pl cli -am)");
        Path moduleRoot = Path.of("").toAbsolutePath();
        // what hpi:run and plugin/pom.xml set before Jenkins starts
        System.setProperty("jenkins.moduleRoot", moduleRoot.toString());
        System.setProperty("releaseLine.sample.cli", cli.toString());
        PromoteStepExecution.pollMillis = 500;

        ConfigurationAsCode.get()
                .configure(moduleRoot.resolve("src/hpi-run/jenkins.yaml").toString());
        WorkflowJob job = r.jenkins.getItemByFullName("release-line-sample", WorkflowJob.class);
        assertNotNull(job, "jobs: in jenkins.yaml creates release-line-sample");
        assertEquals(
                List.of("integration", "staging", "prod"),
                PromotionConfiguration.get().getEnvironments().stream()
                        .map(EnvironmentConfig::getName)
                        .toList());

        WorkflowRun run = job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("admin")))
                .waitForStart();
        JenkinsRule.WebClient manager = r.createWebClient().login("release-manager", "release-manager");
        Set<Long> approved = new HashSet<>();
        while (run.isBuilding()) {
            for (PendingApproval pending : PromoteStepTest.engine().pendingApprovals()) {
                long id = pending.promotion().id();
                if (pending.promotion().environment().equals("prod") && approved.add(id)) {
                    int status = manager.getPage(PromoteStepTest.post(
                                    manager, run.getUrl() + "release-line/approve?id=" + id + "&comment=sample"))
                            .getWebResponse()
                            .getStatusCode();
                    assertEquals(200, status, "release-manager approves promotion " + id);
                }
            }
            Thread.sleep(250);
        }
        r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(run));
        assertEquals(2, approved.size(), "2.0 and 3.0 each waited for an approval in prod");

        // 2.0: held by the freeze, then rolled back by its canary; 3.0: stable
        r.assertLogContains("Andon cord pulled (freeze-", run);
        r.assertLogContains("WAIT  freeze", run);
        r.assertLogContains("canary rolled back:", run);
        r.assertLogContains("sample-app 2.0 did not reach prod", run);
        r.assertLogContains("Done: prod runs sample-app 3.0", run);
        List<Promotion> prod = run.getAction(PromotionRunAction.class).getPromotionIds().stream()
                .map(id -> PromoteStepTest.engine().promotion(id))
                .filter(p -> p.environment().equals("prod"))
                .toList();
        assertEquals(
                List.of("2.0", "3.0"),
                prod.stream().map(p -> p.artifact().version()).toList());
        assertEquals(PromotionStatus.FAILED, prod.get(0).status());
        assertEquals(PromotionStatus.DEPLOYED, prod.get(1).status());
        List<Deployment> now = PromoteStepTest.engine().current("prod");
        assertEquals(1, now.size());
        assertEquals("3.0", now.get(0).artifact().version());

        List<Freeze> freezes = AndonService.get().board().history(10);
        assertEquals(1, freezes.size());
        assertNotNull(freezes.get(0).releasedAt(), "the drill's freeze was released");
        assertTrue(AndonService.get().board().active().isEmpty());

        FeatureToggles toggles = ToggleService.get().toggles();
        assertEquals(
                100.0,
                toggles.toggle("new-checkout").orElseThrow().setting("prod").percentServed("on"));
        assertTrue(
                toggles.history("new-checkout", 10).stream()
                                .filter(a -> a.action().equals("toggle.rollout"))
                                .count()
                        >= 3,
                "raised 10% -> 50% -> 100%");
    }
}
