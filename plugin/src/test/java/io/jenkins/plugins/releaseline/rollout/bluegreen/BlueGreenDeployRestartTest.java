package io.jenkins.plugins.releaseline.rollout.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenPhase;
import io.jenkins.plugins.releaseline.rollout.router.PipelineRouterDefinition;
import io.jenkins.plugins.releaseline.rollout.router.TrafficRouters;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A blue-green rollout through the pipeline's own routing code, restarted between its two weight steps: after the
 * restart it goes on from the stored state, runs the routing code for the second step only, and ends WARM.
 */
class BlueGreenDeployRestartTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private static int count(String log, String text) {
        int n = 0;
        for (int i = log.indexOf(text); i >= 0; i = log.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aRolloutRestartedBetweenWeightStepsSetsEachStepOnce() throws Throwable {
        sessions.then(j -> {
            PipelineRouterDefinition dns = new PipelineRouterDefinition("dns");
            dns.setBackends("blue,green");
            TrafficRouters.get().setRouters(List.of(dns));
            WorkflowJob p = j.createProject(WorkflowJob.class, "app");
            p.setDefinition(new CpsFlowDefinition(
                    "def serving = blueGreenDeploy(router: 'dns', environment: 'prod', steps: [50, 100], stepPauseSeconds: 20,\n"
                            + "    healthCheck: [url: '" + j.getURL() + "login', consecutive: 1]) {\n"
                            + "  if (env.RELEASE_LINE_PHASE == 'deploy') {\n"
                            + "    echo \"deploying ${env.RELEASE_LINE_TARGET_COLOR}\"\n"
                            + "  } else {\n"
                            + "    echo \"routing ${env.RELEASE_LINE_WEIGHTS}\"\n"
                            + "    return env.RELEASE_LINE_CANARY_WEIGHT == '50' ? [blue: 50, green: 50] : [blue: 0, green: 100]\n"
                            + "  }\n"
                            + "}\n"
                            + "echo \"serving ${serving}\"\n",
                    true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            while (!b.getLog().contains("routing blue=50,green=50")
                    || !b.getLog().contains("green at 50%")) {
                Thread.sleep(100);
            }
        });
        sessions.then(j -> {
            WorkflowRun b =
                    j.jenkins.getItemByFullName("app", WorkflowJob.class).getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            String log = b.getLog();
            assertEquals(1, count(log, "deploying green"), log);
            assertEquals(1, count(log, "routing blue=50,green=50"), log);
            assertEquals(1, count(log, "routing blue=0,green=100"), log);
            j.assertLogContains("serving green", b);
            assertEquals(
                    BlueGreenPhase.WARM,
                    b.getAction(BlueGreenAction.class).getRollouts().get(0).phase());
        });
    }
}
