package io.jenkins.plugins.releaseline.rollout.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A Lambda canary step at 50% across a Jenkins restart is reconciled with the alias and finishes. */
class LambdaDeployRestartTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private static LambdaTestEndpoint lambda;

    @BeforeAll
    static void start() {
        lambda = new LambdaTestEndpoint("integration-orders");
    }

    @AfterAll
    static void stop() {
        lambda.close();
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
