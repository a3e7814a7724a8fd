package io.jenkins.plugins.releaseline.rollout.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.promotion.EnvironmentConfig;
import io.jenkins.plugins.releaseline.promotion.PromotionConfiguration;
import io.jenkins.plugins.releaseline.promotion.PromotionService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A Lambda step across a Jenkins restart: at 50% of its canary it is reconciled with the alias and finishes; waiting
 * at the gates it keeps waiting and, once approved, deploys once.
 */
class LambdaDeployRestartTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private LambdaTestEndpoint lambda;

    @BeforeEach
    void start() {
        lambda = new LambdaTestEndpoint("integration-orders");
    }

    @AfterEach
    void stop() {
        lambda.close();
    }

    private static void waitForLog(WorkflowRun b, String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!JenkinsRule.getLog(b).contains(text)) {
            assertTrue(System.nanoTime() < end, "'" + text + "' did not appear within 60 s:\n" + JenkinsRule.getLog(b));
            Thread.sleep(100);
        }
    }

    @Test
    void aStepWaitingAtTheGatesAcrossARestartDeploysOnceAfterTheApproval() throws Throwable {
        sessions.then(j -> {
            LambdaDeployStepTest.line(j);
            EnvironmentConfig integration = new EnvironmentConfig("integration");
            integration.setApprovals(1);
            PromotionConfiguration.get().setEnvironments(List.of(integration));
            WorkflowJob p = LambdaDeployStepTest.job(j, lambda, "gated", ", strategy: 'AllAtOnce'");
            waitForLog(p.scheduleBuild2(0).waitForStart(), "[lambda]   approvals: WAIT");
        });
        assertEquals(0, lambda.codeUpdates.get(), "nothing was sent to Lambda while waiting at the gates");
        sessions.then(j -> {
            WorkflowRun b =
                    j.jenkins.getItemByFullName("gated", WorkflowJob.class).getBuildByNumber(1);
            long id = PromotionService.get()
                    .engine()
                    .pendingApprovals()
                    .get(0)
                    .promotion()
                    .id();
            PromotionService.get().engine().approve(id, Actor.user("alice"), "go");
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("[lambda] resumed after a restart in GATES", b);
            j.assertLogContains("[lambda] Gates of promotion " + id + ": STARTED", b);
            assertEquals(1, lambda.codeUpdates.get(), "one UpdateFunctionCode");
            assertEquals(1, lambda.publishes.get(), "one PublishVersion");
            assertEquals("2", lambda.aliasVersion());
        });
    }

    @Test
    void aCanaryStepOnTheAliasSurvivesARestart() throws Throwable {
        sessions.then(j -> {
            LambdaDeployStepTest.line(j);
            WorkflowJob p = LambdaDeployStepTest.job(j, lambda, "restart", ", strategy: '50%/15s, 100%'");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!JenkinsRule.getLog(b).contains("Alias live now: version 1 50%, version 2 50%")) {
                assertTrue(
                        System.nanoTime() < end, "the canary did not reach 50% within 60 s:\n" + JenkinsRule.getLog(b));
                Thread.sleep(100);
            }
        });
        assertEquals("1", lambda.aliasVersion(), "the restart happened during the 50% step");
        sessions.then(j -> {
            WorkflowRun b =
                    j.jenkins.getItemByFullName("restart", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("[lambda] resumed after a restart in ROLLING_OUT", b);
            j.assertLogContains("Alias live now: version 1 0%, version 2 100%", b);
            assertEquals("2", lambda.aliasVersion());
            assertTrue(lambda.weights().isEmpty());
        });
    }
}
