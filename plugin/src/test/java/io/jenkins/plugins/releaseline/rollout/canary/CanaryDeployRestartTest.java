package io.jenkins.plugins.releaseline.rollout.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.releaseline.RunningDrivers;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A canary paused across a Jenkins restart stays paused, and finishes once resumed. */
class CanaryDeployRestartTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private static CanaryTestServers servers;

    @BeforeAll
    static void startServers() {
        servers = new CanaryTestServers();
    }

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @Test
    void aPauseSurvivesARestart() throws Throwable {
        sessions.then(j -> {
            WorkflowJob p = j.createProject(WorkflowJob.class, "paused");
            p.setDefinition(new CpsFlowDefinition(
                    "canaryDeploy(plan: '10%/2s, 100%', " + servers.probes() + ") {\n"
                            + "  echo \"router block: canary at ${env.RELEASE_LINE_CANARY_WEIGHT}%\"\n}\n",
                    true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            CanaryAction action = CanaryDeployStepTest.awaitState(b, CanaryState.WAITING);
            CanaryService.get().controller().pause(action.getRolloutId(), "operator", "checking dashboards");
        });
        sessions.then(j -> {
            WorkflowRun b =
                    j.jenkins.getItemByFullName("paused", WorkflowJob.class).getBuildByNumber(1);
            CanaryAction action = b.getAction(CanaryAction.class);
            Thread.sleep(4_000); // longer than the step's pause: a paused canary does not move
            assertEquals(
                    CanaryState.PAUSED, CanaryDeployStepTest.rollout(action).state());
            j.assertLogContains("resumed after a restart: PAUSED", b);
            CanaryService.get().controller().unpause(action.getRolloutId(), "operator", "looks fine");
            RunningDrivers.wake(action.getRolloutId());
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("router block: canary at 100%", b);
        });
    }

    @Test
    void aRestartWhileTheRouterBlockRunsNeitherRepeatsNorLosesIt() throws Throwable {
        sessions.then(j -> {
            WorkflowJob p = j.createProject(WorkflowJob.class, "mid-block");
            p.setDefinition(new CpsFlowDefinition(
                    "canaryDeploy(plan: '10%/1s, 100%', " + servers.probes() + ") {\n"
                            + "  echo \"router block: canary at ${env.RELEASE_LINE_CANARY_WEIGHT}%\"\n"
                            + "  if (env.RELEASE_LINE_CANARY_WEIGHT == '10') { sleep 5 }\n}\n",
                    true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            j.waitForMessage("router block: canary at 10%", b);
        });
        sessions.then(j -> {
            WorkflowRun b =
                    j.jenkins.getItemByFullName("mid-block", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            String log = JenkinsRule.getLog(b);
            assertEquals(1, log.split("router block: canary at 10%", -1).length - 1, "the 10% block ran once: " + log);
            j.assertLogContains("router block: canary at 100%", b);
            j.assertLogContains("resumed after a restart", b);
            assertEquals(0, RunningDrivers.ids(CanaryDeployExecution.class).size(), "an ended execution is forgotten");
        });
    }
}
