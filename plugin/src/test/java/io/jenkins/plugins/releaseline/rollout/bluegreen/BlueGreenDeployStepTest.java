package io.jenkins.plugins.releaseline.rollout.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import hudson.model.Result;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenPhase;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenRollout;
import io.jenkins.plugins.releaseline.rollout.router.PipelineRouterDefinition;
import io.jenkins.plugins.releaseline.rollout.router.TrafficRouters;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * blueGreenDeploy through a router of kind "pipeline code" (the body routes), checking Jenkins' own login page as the
 * idle colour's health endpoint. The routers that talk to HAProxy, nginx and ELBv2 are tested in the engine.
 */
@WithJenkins
class BlueGreenDeployStepTest {

    private static final String BODY = "{\n"
            + "  if (env.RELEASE_LINE_PHASE == 'deploy') {\n"
            + "    echo \"deploying ${env.RELEASE_LINE_TARGET_COLOR} while ${env.RELEASE_LINE_LIVE_COLOR} serves\"\n"
            + "  } else {\n"
            + "    echo \"routing ${env.RELEASE_LINE_WEIGHTS}\"\n"
            + "    return env.RELEASE_LINE_WEIGHTS\n"
            + "  }\n"
            + "}\n";

    private static void defineRouter() {
        PipelineRouterDefinition dns = new PipelineRouterDefinition("dns");
        dns.setBackends("blue,green");
        TrafficRouters.get().setRouters(List.of(dns));
    }

    @Test
    void deploysChecksAndSwitchesWithATimelineOnTheBuild(JenkinsRule j) throws Exception {
        defineRouter();
        WorkflowJob p = j.createProject(WorkflowJob.class, "app");
        p.setDefinition(new CpsFlowDefinition(
                "def serving = blueGreenDeploy(router: 'dns', environment: 'prod', version: '1.1', keepWarmMinutes: 5,\n"
                        + "    healthCheck: [url: '" + j.getURL() + "login', consecutive: 2, deadlineSeconds: 60]) "
                        + BODY
                        + "echo \"serving ${serving}\"\n",
                true));
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains("deploying green while blue serves", b);
        j.assertLogContains("routing blue=0,green=100", b);
        j.assertLogContains("serving green", b);

        BlueGreenAction action = b.getAction(BlueGreenAction.class);
        assertNotNull(action);
        List<BlueGreenRollout> rollouts = action.getRollouts();
        assertEquals(1, rollouts.size());
        assertEquals(BlueGreenPhase.WARM, rollouts.get(0).phase());
        assertEquals(
                List.of(
                        BlueGreenPhase.DEPLOYING,
                        BlueGreenPhase.VERIFYING_IDLE,
                        BlueGreenPhase.IDLE_HEALTHY,
                        BlueGreenPhase.SWITCHING,
                        BlueGreenPhase.VERIFYING_SWITCH,
                        BlueGreenPhase.WARM),
                rollouts.get(0).timeline().stream()
                        .map(BlueGreenRollout.Step::phase)
                        .toList());
        j.createWebClient().getPage(b); // the summary renders
    }

    @Test
    void anUnhealthyIdleColourFailsTheBuildAndLeavesTrafficAlone(JenkinsRule j) throws Exception {
        defineRouter();
        WorkflowJob p = j.createProject(WorkflowJob.class, "app");
        p.setDefinition(new CpsFlowDefinition(
                "blueGreenDeploy(router: 'dns', environment: 'prod', healthCheck: [url: '" + j.getURL()
                        + "no-such-page', consecutive: 1, deadlineSeconds: 3]) " + BODY,
                true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("not healthy", b);
        j.assertLogContains("status 404", b);
        j.assertLogContains("traffic never moved: blue serves", b);
        j.assertLogNotContains("routing", b);
        assertEquals(
                BlueGreenPhase.FAILED,
                b.getAction(BlueGreenAction.class).getRollouts().get(0).phase());
    }

    @Test
    void anUnknownRouterIsRefusedByName(JenkinsRule j) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "app");
        p.setDefinition(new CpsFlowDefinition("blueGreenDeploy(router: 'nope') { echo 'never' }", true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("No traffic router named 'nope'", b);
        j.assertLogNotContains("never", b);
    }
}
