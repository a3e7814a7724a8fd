package io.jenkins.plugins.releaseline.rollout.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Item;
import hudson.model.Result;
import io.jenkins.plugins.releaseline.RunningDrivers;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class CanaryDeployStepTest {

    private CanaryTestServers servers;

    @BeforeEach
    void startServers() {
        servers = new CanaryTestServers();
    }

    @AfterEach
    void stopServers() {
        servers.close();
    }

    private WorkflowJob job(JenkinsRule j, String name, String plan) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(
                "canaryDeploy(plan: '" + plan + "', " + servers.probes() + ") {\n"
                        + "  echo \"router block: canary at ${env.RELEASE_LINE_CANARY_WEIGHT}% (${env.RELEASE_LINE_WEIGHTS})\"\n"
                        + "}\n",
                true));
        return p;
    }

    @Test
    void aGoodCanaryReachesAllTrafficWithTheBlockAsRouter(JenkinsRule j) throws Exception {
        WorkflowRun b = j.buildAndAssertSuccess(job(j, "good", "10%/1s, 50%/1s, 100%"));
        j.assertLogContains("router block: canary at 10% (stable=90,canary=10)", b);
        j.assertLogContains("router block: canary at 50%", b);
        j.assertLogContains("router block: canary at 100%", b);
        j.assertLogContains("error-rate PASS", b);
        CanaryAction action = b.getAction(CanaryAction.class);
        assertNotNull(action, "the build has a canary page");
        assertEquals("SUCCEEDED", action.getTimeline().state());
        assertEquals(2, action.getTimeline().analyses().size());
        String json = j.createWebClient()
                .goTo(b.getUrl() + "canary/data", "application/json")
                .getWebResponse()
                .getContentAsString();
        assertTrue(json.contains("\"state\":\"SUCCEEDED\""), json);
        assertTrue(json.contains("\"weights\""), json);
        String page = j.createWebClient().goTo(b.getUrl() + "canary/").asNormalizedText();
        assertTrue(page.contains("SUCCEEDED"), page);
        assertTrue(page.contains("error-rate"), "each analysis lists its metrics: " + page);
        assertTrue(page.contains("Weight over time and analyses"), page);
    }

    @Test
    void aBadCanaryIsRolledBackAndTheBuildFailsNamingTheMetric(JenkinsRule j) throws Exception {
        servers.canaryBad = true;
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, job(j, "bad", "10%/1s, 50%/1s, 100%"));
        j.assertLogContains("canary rolled back: ", b);
        j.assertLogContains("error-rate FAIL", b);
        j.assertLogContains("router block: canary at 0% (stable=100,canary=0)", b);
        j.assertLogNotContains("router block: canary at 50%", b);
    }

    @Test
    void aBadPlanFailsTheStepWithTheEnginesMessage(JenkinsRule j) throws Exception {
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, job(j, "bad-plan", "10%/1s, 50%/1s, 150%"));
        j.assertLogContains("plan: step 3: weight 150 is over 100", b);
    }

    @Test
    void theButtonsNeedPostACrumbAndPermission(JenkinsRule j) throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, Item.BUILD, Item.CANCEL)
                .everywhere()
                .to("operator")
                .grant(Jenkins.READ, Item.READ)
                .everywhere()
                .to("viewer"));
        WorkflowJob p = job(j, "long", "10%/10m, 100%");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        CanaryAction action = awaitState(b, CanaryState.WAITING);
        String url = b.getUrl() + action.getUrlName() + "/";

        JenkinsRule.WebClient viewer = j.createWebClient().login("viewer");
        viewer.setThrowExceptionOnFailingStatusCode(false);
        Page refused =
                viewer.getPage(viewer.addCrumb(new WebRequest(new URL(j.getURL(), url + "pause"), HttpMethod.POST)));
        assertEquals(403, refused.getWebResponse().getStatusCode());

        JenkinsRule.WebClient operator = j.createWebClient().login("operator");
        operator.setThrowExceptionOnFailingStatusCode(false);
        Page get = operator.getPage(new WebRequest(new URL(j.getURL(), url + "abort"), HttpMethod.GET));
        assertEquals(405, get.getWebResponse().getStatusCode(), "a GET changes nothing");

        Page paused = operator.getPage(
                operator.addCrumb(new WebRequest(new URL(j.getURL(), url + "pause"), HttpMethod.POST)));
        assertEquals(200, paused.getWebResponse().getStatusCode());
        assertEquals(CanaryState.PAUSED, rollout(action).state());

        Page aborted = operator.getPage(
                operator.addCrumb(new WebRequest(new URL(j.getURL(), url + "abort"), HttpMethod.POST)));
        assertEquals(200, aborted.getWebResponse().getStatusCode());
        j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
        j.assertLogContains("canary aborted: aborted by operator", b);
        j.assertLogContains("router block: canary at 0%", b);
        assertEquals(CanaryState.ABORTED, rollout(action).state());
    }

    @Test
    void promoteNowSkipsTheRemainingSteps(JenkinsRule j) throws Exception {
        WorkflowRun b =
                job(j, "promote", "10%/10m, 50%/10m, 100%").scheduleBuild2(0).waitForStart();
        CanaryAction action = awaitState(b, CanaryState.WAITING);
        JenkinsRule.WebClient wc = j.createWebClient();
        wc.getPage(wc.addCrumb(
                new WebRequest(new URL(j.getURL(), b.getUrl() + action.getUrlName() + "/promote"), HttpMethod.POST)));
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        j.assertLogContains("router block: canary at 100%", b);
        j.assertLogNotContains("router block: canary at 50%", b);
    }

    @Test
    void theMapSyntaxOfTheDocsBindsToTheStepAndBack(JenkinsRule j) throws Exception {
        CanaryDeployStep.DescriptorImpl d = j.jenkins.getDescriptorByType(CanaryDeployStep.DescriptorImpl.class);
        Map<String, Object> metric = Map.of(
                "name", "error-rate", "source", "prometheus", "query", "up", "threshold", 0.01, "critical", true);
        CanaryDeployStep step = (CanaryDeployStep) d.newInstance(Map.of(
                "router", "prod-lb",
                "plan", List.of(Map.of("weight", 10, "pause", "5m"), Map.of("weight", 100)),
                "metrics", List.of(metric),
                "prometheus", Map.of("url", "http://prometheus:9090", "credentialsId", "prom-token"),
                "maxFailedAnalyses", 2));
        assertEquals("10%/5m, 100%", step.getPlan());
        assertEquals("prod-lb", step.getRouter());
        assertEquals("error-rate", step.getAnalysis().get(0).getName());
        assertEquals(0.01, step.getAnalysis().get(0).getThreshold());
        assertEquals(
                java.util.Set.of("canaryMetric"),
                org.jenkinsci.plugins.structs.SymbolLookup.getSymbolValue(
                        step.getAnalysis().get(0)));
        assertEquals(List.of(metric), step.arguments().get("analysis"), "the engine reads the values given, unchanged");
        assertEquals("prom-token", step.getPrometheus().getCredentialsId());
        Map<String, Object> args = d.uninstantiate(step).toMap();
        assertEquals("10%/5m, 100%", args.get("plan"));
        assertTrue(args.containsKey("analysis"), args.toString());
        assertEquals(2, args.get("maxFailedAnalyses"));
        assertEquals(
                "prom-token",
                step.arguments().get("prometheus") instanceof Map<?, ?> m ? m.get("credentialsId") : null);
    }

    @Test
    void anEndedCanaryLeavesNoExecutionBehind(JenkinsRule j) throws Exception {
        j.buildAndAssertSuccess(job(j, "forgotten", "10%/1s, 100%"));
        assertEquals(0, RunningDrivers.ids(CanaryDeployExecution.class).size());
    }

    static CanaryRollout rollout(CanaryAction action) {
        return CanaryService.get().controller().get(action.getRolloutId());
    }

    static CanaryAction awaitState(WorkflowRun b, CanaryState state) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            CanaryAction action = b.getAction(CanaryAction.class);
            if (action != null
                    && CanaryService.get()
                            .controller()
                            .find(action.getRolloutId())
                            .map(r -> r.state() == state)
                            .orElse(false)) {
                return action;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the canary of " + b + " did not reach " + state + " within 60 s");
    }
}
