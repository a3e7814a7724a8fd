package io.jenkins.plugins.releaseline.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hudson.model.Cause;
import hudson.model.CauseAction;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A restart while a promotion waits for an approval: the step resumes from its persisted driver (the file's digest
 * is not taken again, nothing is requested twice) and the body runs once after the approval.
 */
class PromotionDriverRestartTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aDriverWaitingForAnApprovalResumesAfterARestartAndDeploysOnce() throws Throwable {
        long[] id = new long[1];
        sessions.then(r -> {
            PromoteStepExecution.pollMillis = 200;
            EnvironmentConfig prod = new EnvironmentConfig("prod");
            prod.setApprovals(1);
            prod.setApprovers("bob");
            PromotionConfiguration.get().setEnvironments(List.of(prod));
            WorkflowJob job = r.jenkins.createProject(WorkflowJob.class, "app");
            job.setDefinition(new CpsFlowDefinition("""
                    node {
                      writeFile file: 'app.jar', text: 'x'
                      promote(to: 'prod', artifact: 'app', version: '2.0.0', file: 'app.jar', wait: true, timeout: 30) {
                        echo "the body deploys ${env.RELEASE_LINE_DIGEST}"
                      }
                    }""", true));
            WorkflowRun run = job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("alice")))
                    .waitForStart();
            r.waitForMessage("WAIT  approvals: 0 of 1 approvals; waiting for bob", run);
            id[0] = run.getAction(PromotionRunAction.class).getPromotionIds().get(0);
        });
        sessions.then(r -> {
            PromoteStepExecution.pollMillis = 200;
            WorkflowRun run =
                    r.jenkins.getItemByFullName("app", WorkflowJob.class).getBuildByNumber(1);
            assertEquals(
                    PromotionStatus.REQUESTED,
                    PromotionService.get().engine().promotion(id[0]).status());
            PromotionService.get().engine().approve(id[0], new Actor("bob", null), "after the restart");
            r.assertBuildStatusSuccess(r.waitForCompletion(run));
            String log = JenkinsRule.getLog(run);
            assertEquals(
                    1, log.split("the body deploys " + PromoteStepTest.SHA_OF_X, -1).length - 1, "the body ran once");
            assertEquals(1, log.split("Promotion " + id[0] + ": ", -1).length - 1, "requested once");
            assertEquals(
                    PromotionStatus.DEPLOYED,
                    PromotionService.get().engine().promotion(id[0]).status());
            assertEquals(List.of(id[0]), run.getAction(PromotionRunAction.class).getPromotionIds());
            long drivers = ReleaseLineStore.get().store().read(c -> {
                try (var q = c.prepareStatement(
                                "SELECT COUNT(*) FROM release_line_driver WHERE kind = 'promotion' AND phase = 'DONE'");
                        var rs = q.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertEquals(1, drivers);
        });
    }
}
