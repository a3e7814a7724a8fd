package io.jenkins.plugins.releaseline.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import hudson.tasks.BuildWrapper;
import io.jenkins.plugins.releaseline.RunningDrivers;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.structs.SymbolLookup;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The promotion driver as Pipelines and freestyle builds drive it: waits, wake-ups, stops, and no leak. */
@WithJenkins
class PromotionDriverStepTest {

    static final String DIGEST = "sha256:" + "d".repeat(64);

    @AfterEach
    void restorePolling() {
        PromoteStepExecution.pollMillis = 15_000L;
    }

    static void prodNeedsBob() {
        EnvironmentConfig prod = new EnvironmentConfig("prod");
        prod.setApprovals(1);
        prod.setApprovers("bob");
        PromotionConfiguration.get().setEnvironments(List.of(prod));
    }

    static WorkflowRun waitingRun(JenkinsRule r) throws Exception {
        WorkflowJob job = r.jenkins.createProject(WorkflowJob.class, "app");
        job.setDefinition(new CpsFlowDefinition("""
                promote(to: 'prod', artifact: 'app', version: '3.0.0', digest: '%s', wait: true, timeout: 60) {
                  echo "body ran for ${env.RELEASE_LINE_VERSION}"
                }""".formatted(DIGEST), true));
        WorkflowRun run = job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("alice")))
                .waitForStart();
        r.waitForMessage("WAIT  approvals: 0 of 1 approvals; waiting for bob", run);
        return run;
    }

    static long promotionOf(hudson.model.Run<?, ?> run) {
        return run.getAction(PromotionRunAction.class).getPromotionIds().get(0);
    }

    @Test
    void anApprovalOnThisControllerWakesAWaitingStepAtOnce(JenkinsRule r) throws Exception {
        PromoteStepExecution.pollMillis = 3_600_000L;
        prodNeedsBob();
        Set<String> before = RunningDrivers.ids(PromoteStepExecution.class);
        WorkflowRun run = waitingRun(r);
        Set<String> waiting = new HashSet<>(RunningDrivers.ids(PromoteStepExecution.class));
        waiting.removeAll(before);
        assertEquals(1, waiting.size(), "the waiting step is registered");
        PromotionService.get().engine().approve(promotionOf(run), new Actor("bob", null), null);
        PromotionService.nudgeWaitingSteps();
        r.assertBuildStatusSuccess(r.waitForCompletion(run));
        r.assertLogContains("body ran for 3.0.0", run);
        assertEquals(
                PromotionStatus.DEPLOYED,
                PromotionService.get().engine().promotion(promotionOf(run)).status());
        assertFalse(
                RunningDrivers.ids(PromoteStepExecution.class)
                        .contains(waiting.iterator().next()),
                "an ended step leaves the registry");
    }

    @Test
    void abortingAWaitingStepCancelsThePromotion(JenkinsRule r) throws Exception {
        PromoteStepExecution.pollMillis = 200;
        prodNeedsBob();
        Set<String> before = RunningDrivers.ids(PromoteStepExecution.class);
        WorkflowRun run = waitingRun(r);
        run.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(run));
        r.assertLogNotContains("body ran for", run);
        assertEquals(
                PromotionStatus.CANCELLED,
                PromotionService.get().engine().promotion(promotionOf(run)).status());
        assertTrue(
                before.containsAll(RunningDrivers.ids(PromoteStepExecution.class)),
                "the aborted step left the registry");
        assertEquals(List.of(), PromotionService.get().engine().locks());
    }

    @Test
    void aFreestyleBuildWaitsOnItsExecutorUntilApproved(JenkinsRule r) throws Exception {
        PromoteStepExecution.pollMillis = 200;
        prodNeedsBob();
        FreeStyleProject p = r.createFreeStyleProject("app");
        PromoteBuildWrapper w = new PromoteBuildWrapper("prod", "app", "3.0.0");
        w.setDigest(DIGEST);
        w.setWait(true);
        w.setTimeout(60);
        p.getBuildWrappersList().add(w);
        FreeStyleBuild b = p.scheduleBuild2(0, new Cause.UserIdCause("alice")).waitForStart();
        r.waitForMessage("WAIT  approvals: 0 of 1 approvals; waiting for bob", b);
        PromotionService.get().engine().approve(promotionOf(b), new Actor("bob", null), null);
        r.assertBuildStatusSuccess(r.waitForCompletion(b));
        assertEquals(
                PromotionStatus.DEPLOYED,
                PromotionService.get().engine().promotion(promotionOf(b)).status());
    }

    @Test
    void theFreestyleWrapperIsNotOfferedToPipelines(JenkinsRule r) {
        assertNull(SymbolLookup.get().findDescriptor(BuildWrapper.class, "promoteToEnvironment"));
    }
}
