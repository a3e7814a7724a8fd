package io.jenkins.plugins.releaseline.andon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** andonCheck fails, waits, and keeps waiting across a restart; the cord is pulled and released from a pipeline. */
class AndonStepsTest {

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void andonCheckFailsWithTheFreezesReason() throws Throwable {
        sessions.then(r -> {
            AndonService.get()
                    .board()
                    .pull("alice", PullRequest.of(FreezeScope.environment("prod"), "Payments down, INC-42"));
            WorkflowJob p = r.createProject(WorkflowJob.class, "deploy");
            p.setDefinition(new CpsFlowDefinition("andonCheck environment: 'prod'\necho 'deployed'", true));
            WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
            r.assertLogContains("Payments down, INC-42", b);
            r.assertLogNotContains("deployed", b);

            p.setDefinition(new CpsFlowDefinition("andonCheck environment: 'staging'\necho 'deployed'", true));
            r.assertLogContains("deployed", r.buildAndAssertSuccess(p));
        });
    }

    @Test
    void aBreakGlassOverrideLetsExactlyTheNamedBuildThrough() throws Throwable {
        sessions.then(r -> {
            Freeze f = AndonService.get()
                    .board()
                    .pull("alice", PullRequest.of(FreezeScope.environment("prod"), "Payments down"));
            AndonService.get().board().override("oncall-lead", "freeze-" + f.id(), "CVE hotfix", "deploy#1");
            WorkflowJob p = r.createProject(WorkflowJob.class, "deploy");
            p.setDefinition(new CpsFlowDefinition("andonCheck environment: 'prod'\necho 'deployed'", true));
            r.assertLogContains("deployed", r.buildAndAssertSuccess(p));
            r.assertLogContains("Payments down", r.buildAndAssertStatus(Result.FAILURE, p));
        });
    }

    @Test
    void andonCheckWaitsAcrossARestartAndGoesOnWhenReleased() throws Throwable {
        long[] id = new long[1];
        sessions.then(r -> {
            Freeze f =
                    AndonService.get().board().pull("alice", PullRequest.of(FreezeScope.EVERYTHING, "Release freeze"));
            id[0] = f.id();
            WorkflowJob p = r.createProject(WorkflowJob.class, "deploy");
            p.setDefinition(new CpsFlowDefinition(
                    "andonCheck environment: 'prod', wait: true, timeoutMinutes: 60\necho 'deployed'", true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            r.waitForMessage("Held back by the Andon board, waiting", b);
        });
        sessions.then(r -> {
            WorkflowRun b =
                    r.jenkins.getItemByFullName("deploy", WorkflowJob.class).getBuildByNumber(1);
            assertTrue(b.isBuilding(), "still waiting after the restart");
            AndonService.get().board().release("bob", id[0], "over");
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            r.assertLogContains("The Andon board lets this build go ahead.", b);
            r.assertLogContains("deployed", b);
        });
    }

    @Test
    void aPipelinePullsAndReleasesTheCord() throws Throwable {
        sessions.then(r -> {
            WorkflowJob p = r.createProject(WorkflowJob.class, "smoke");
            p.setDefinition(new CpsFlowDefinition(
                    "def key = pullAndonCord reason: 'smoke tests failed in prod', scope: 'environment:prod'\n"
                            + "echo \"pulled ${key}\"\n"
                            + "releaseAndonCord freeze: key, note: 'rolled back'\n",
                    true));
            WorkflowRun b = r.buildAndAssertSuccess(p);
            r.assertLogContains("pulled freeze-", b);
            assertFalse(AndonService.get().board().isLineStopped());
            Freeze f = AndonService.get().board().history(1).get(0);
            assertEquals("smoke#1", f.pulledBy(), "the build is recorded as the one who pulled");
            assertEquals("rolled back", f.releaseNote());

            p.setDefinition(new CpsFlowDefinition("pullAndonCord reason: '', scope: 'everything'", true));
            r.assertLogContains("reason: must say why", r.buildAndAssertStatus(Result.FAILURE, p));
        });
    }

    @Test
    void theBuildWrapperStopsAFreestyleDeployment() throws Throwable {
        sessions.then(r -> {
            FreeStyleProject p = r.createFreeStyleProject("deploy-prod");
            AndonBuildWrapper wrapper = new AndonBuildWrapper();
            wrapper.setEnvironment("prod");
            p.getBuildWrappersList().add(wrapper);
            r.buildAndAssertSuccess(p);
            AndonService.get().board().pull("alice", PullRequest.of(FreezeScope.environment("prod"), "CDN incident"));
            r.assertLogContains("CDN incident", r.buildAndAssertStatus(Result.FAILURE, p));
        });
    }
}
