package io.jenkins.plugins.releaseline.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hudson.model.Cause;
import hudson.model.CauseAction;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A waiting promotion outlives a controller restart: the deadline and the promotion id are persisted, not a timer. */
class PromoteStepRestartTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aWaitResumesAfterARestartAndGoesOnWhenApproved() throws Throwable {
        PromoteStepExecution.pollMillis = 200;
        long[] id = new long[1];
        sessions.then(r -> {
            EnvironmentConfig prod = new EnvironmentConfig("prod");
            prod.setApprovals(1);
            prod.setApprovers("bob");
            PromotionConfiguration.get().setEnvironments(List.of(prod));
            WorkflowJob job = r.jenkins.createProject(WorkflowJob.class, "app");
            job.setDefinition(new CpsFlowDefinition("""
                    promote(to: 'prod', artifact: 'app', version: '2.0.0', digest: 'sha256:%s', wait: true, timeout: 30) {
                      echo "deploying ${env.RELEASE_LINE_VERSION}"
                    }""".formatted("e".repeat(64)), true));
            WorkflowRun run = job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("alice")))
                    .waitForStart();
            r.waitForMessage("WAIT  approvals: 0 of 1 approvals; waiting for bob", run);
            id[0] = run.getAction(PromotionRunAction.class).getPromotionIds().get(0);
        });
        sessions.then(r -> {
            WorkflowRun run =
                    r.jenkins.getItemByFullName("app", WorkflowJob.class).getBuildByNumber(1);
            assertEquals(
                    PromotionStatus.REQUESTED,
                    PromotionService.get().engine().promotion(id[0]).status(),
                    "still waiting after the restart");
            PromotionService.get().engine().approve(id[0], new Actor("bob", null), "after the restart");
            r.assertBuildStatusSuccess(r.waitForCompletion(run));
            r.assertLogContains("deploying 2.0.0", run);
            assertEquals(
                    PromotionStatus.DEPLOYED,
                    PromotionService.get().engine().promotion(id[0]).status());
        });
    }
}
