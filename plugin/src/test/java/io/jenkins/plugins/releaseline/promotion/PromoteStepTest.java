package io.jenkins.plugins.releaseline.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Item;
import hudson.model.Result;
import io.jenkins.plugins.releaseline.engine.promotion.Deployment;
import io.jenkins.plugins.releaseline.engine.promotion.LedgerKind;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionStatus;
import java.net.URL;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class PromoteStepTest {

    static final String SHA_OF_X = "sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881";

    @BeforeEach
    void fastPolling() {
        PromoteStepExecution.pollMillis = 200;
    }

    static EnvironmentConfig env(String name, String from) {
        EnvironmentConfig e = new EnvironmentConfig(name);
        e.setPromotesFrom(from);
        return e;
    }

    static WorkflowJob pipeline(JenkinsRule r, String name, String script) throws Exception {
        WorkflowJob job = r.jenkins.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(script, true));
        return job;
    }

    static PromotionEngine engine() {
        return PromotionService.get().engine();
    }

    @Test
    void aPassingPromotionRunsTheBodyWithTheVariablesAndRecordsDeployed(JenkinsRule r) throws Exception {
        PromotionConfiguration.get().setEnvironments(List.of(env("integration", null)));
        WorkflowJob job = pipeline(r, "app", """
                node {
                  writeFile file: 'app.jar', text: 'x'
                  promote(to: 'integration', artifact: 'app', version: '1.0.0', file: 'app.jar') {
                    echo "deploying ${env.RELEASE_LINE_ARTIFACT} ${env.RELEASE_LINE_VERSION} ${env.RELEASE_LINE_DIGEST} to ${env.RELEASE_LINE_ENVIRONMENT}"
                  }
                }""");
        WorkflowRun run = r.buildAndAssertSuccess(job);
        r.assertLogContains("deploying app 1.0.0 " + SHA_OF_X + " to integration", run);
        r.assertLogContains("PASS  previous environment: integration is the first environment of the line", run);
        List<Deployment> now = engine().current("integration");
        assertEquals(1, now.size());
        assertEquals(SHA_OF_X, now.get(0).artifact().digest().value());
        long id = run.getAction(PromotionRunAction.class).getPromotionIds().get(0);
        assertEquals(LedgerKind.DEPLOYED, engine().entries(id).get(0).kind());
        assertTrue(engine().locks().isEmpty(), "the deploy lock is free again");
    }

    @Test
    void aFailingBodyIsRecordedAsFailedAndFreesTheLock(JenkinsRule r) throws Exception {
        PromotionConfiguration.get().setEnvironments(List.of(env("integration", null)));
        WorkflowJob job = pipeline(r, "app", """
                promote(to: 'integration', artifact: 'app', version: '1.0.0', digest: '%s') {
                  error 'smoke test failed'
                }""".formatted(SHA_OF_X));
        WorkflowRun run = r.buildAndAssertStatus(Result.FAILURE, job);
        long id = run.getAction(PromotionRunAction.class).getPromotionIds().get(0);
        assertEquals(PromotionStatus.FAILED, engine().promotion(id).status());
        assertTrue(engine().locks().isEmpty());
    }

    @Test
    void aRefusalListsEveryFailedGate(JenkinsRule r) throws Exception {
        EnvironmentConfig staging = env("staging", "integration");
        staging.setBranches("main");
        PromotionConfiguration.get().setEnvironments(List.of(env("integration", null), staging));
        WorkflowJob job = pipeline(r, "app", """
                promote(to: 'staging', artifact: 'app', version: '1.0.0', digest: '%s', branch: 'feature/x') {
                  echo 'must not run'
                }""".formatted(SHA_OF_X));
        WorkflowRun run = r.buildAndAssertStatus(Result.FAILURE, job);
        r.assertLogContains("refused:", run);
        r.assertLogContains(
                "- previous environment: app 1.0.0 (sha256:2d711642b726) never ran in integration; promote it to integration first",
                run);
        r.assertLogContains("- branch: branch feature/x may not deploy to staging; allowed: main", run);
        r.assertLogNotContains("must not run", run);
    }

    @Test
    void badInputFailsWithTheFieldNamed(JenkinsRule r) throws Exception {
        PromotionConfiguration.get().setEnvironments(List.of(env("integration", null)));
        WorkflowRun path = r.buildAndAssertStatus(Result.FAILURE, pipeline(r, "a", """
                promote(to: 'integration', artifact: 'app', version: '../1.0', digest: '%s')""".formatted(SHA_OF_X)));
        r.assertLogContains("version: '../1.0' contains path characters", path);
        WorkflowRun hex = r.buildAndAssertStatus(Result.FAILURE, pipeline(r, "b", """
                promote(to: 'integration', artifact: 'app', version: '1.0', digest: 'sha256:xyz')"""));
        r.assertLogContains("digest: 'sha256:xyz' has 3 characters", hex);
        WorkflowRun unknown = r.buildAndAssertStatus(Result.FAILURE, pipeline(r, "c", """
                promote(to: 'qa', artifact: 'app', version: '1.0', digest: '%s')""".formatted(SHA_OF_X)));
        r.assertLogContains("to: unknown environment 'qa'; the line has integration", unknown);
    }

    @Test
    void anAllowedApproverReleasesTheWaitAndOthersAreRefused(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, PromotionPermissions.APPROVE)
                .everywhere()
                .to("alice", "mallory")
                .grant(Jenkins.ADMINISTER)
                .everywhere()
                .to("admin"));
        EnvironmentConfig prod = env("prod", null);
        prod.setApprovals(1);
        prod.setApprovers("alice");
        PromotionConfiguration.get().setEnvironments(List.of(prod));
        WorkflowJob job = pipeline(r, "app", """
                promote(to: 'prod', artifact: 'app', version: '1.0.0', digest: '%s', wait: true, timeout: 10) {
                  echo "deploying ${env.RELEASE_LINE_VERSION}"
                }""".formatted(SHA_OF_X));
        WorkflowRun run = job.scheduleBuild2(0).waitForStart();
        r.waitForMessage("WAIT  approvals: 0 of 1 approvals; waiting for alice", run);
        long id = run.getAction(PromotionRunAction.class).getPromotionIds().get(0);

        JenkinsRule.WebClient mallory =
                r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("mallory");
        Page refused = mallory.getPage(post(mallory, run.getUrl() + "release-line/approve?id=" + id));
        assertEquals(400, refused.getWebResponse().getStatusCode());
        assertTrue(refused.getWebResponse()
                .getContentAsString()
                .contains("approver: mallory may not approve promotions to prod; allowed: alice"));

        JenkinsRule.WebClient alice =
                r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("alice");
        WebRequest noCrumb = new WebRequest(
                new URL(alice.getContextPath() + run.getUrl() + "release-line/approve?id=" + id), HttpMethod.POST);
        assertEquals(
                403, alice.getPage(noCrumb).getWebResponse().getStatusCode(), "a POST without the crumb is refused");
        Page approved = alice.getPage(post(alice, run.getUrl() + "release-line/approve?id=" + id + "&comment=ship+it"));
        assertEquals(200, approved.getWebResponse().getStatusCode());

        r.assertBuildStatusSuccess(r.waitForCompletion(run));
        r.assertLogContains("deploying 1.0.0", run);
        assertEquals("alice", engine().approvals(id).get(0).approver());
    }

    @Test
    void theStarterMayNotApproveUnderSeparationOfDutiesAndARejectionFailsTheBuild(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, PromotionPermissions.APPROVE)
                .everywhere()
                .to("alice", "bob"));
        EnvironmentConfig prod = env("prod", null);
        prod.setApprovals(1);
        prod.setApproverGroups("release-managers");
        prod.setSeparationOfDuties(true);
        PromotionConfiguration.get().setEnvironments(List.of(prod));
        ((JenkinsRule.DummySecurityRealm) r.jenkins.getSecurityRealm()).addGroups("alice", "release-managers");
        ((JenkinsRule.DummySecurityRealm) r.jenkins.getSecurityRealm()).addGroups("bob", "release-managers");
        WorkflowJob job = pipeline(r, "app", """
                promote(to: 'prod', artifact: 'app', version: '1.0.0', digest: '%s', wait: true, timeout: 10)""".formatted(SHA_OF_X));
        WorkflowRun run = job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("alice")))
                .waitForStart();
        r.waitForMessage("WAIT  approvals:", run);
        long id = run.getAction(PromotionRunAction.class).getPromotionIds().get(0);

        JenkinsRule.WebClient alice =
                r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("alice");
        Page own = alice.getPage(post(alice, run.getUrl() + "release-line/approve?id=" + id));
        assertEquals(400, own.getWebResponse().getStatusCode());
        assertTrue(own.getWebResponse()
                .getContentAsString()
                .contains("approver: alice started the build of promotion " + id));

        JenkinsRule.WebClient bob =
                r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("bob");
        bob.getPage(post(bob, run.getUrl() + "release-line/reject?id=" + id + "&comment=not+during+the+sale"));
        r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(run));
        r.assertLogContains("approvals: rejected: by bob: not during the sale", run);
    }

    @Test
    void approvingTwiceIsRefused(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ, PromotionPermissions.APPROVE)
                .everywhere()
                .to("alice"));
        EnvironmentConfig prod = env("prod", null);
        prod.setApprovals(2);
        PromotionConfiguration.get().setEnvironments(List.of(prod));
        WorkflowJob job = pipeline(r, "app", """
                promote(to: 'prod', artifact: 'app', version: '1.0.0', digest: '%s', wait: true, timeout: 1)""".formatted(SHA_OF_X));
        WorkflowRun run = job.scheduleBuild2(0).waitForStart();
        r.waitForMessage("WAIT  approvals:", run);
        long id = run.getAction(PromotionRunAction.class).getPromotionIds().get(0);
        JenkinsRule.WebClient alice =
                r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("alice");
        assertEquals(
                200,
                alice.getPage(post(alice, run.getUrl() + "release-line/approve?id=" + id))
                        .getWebResponse()
                        .getStatusCode());
        Page twice = alice.getPage(post(alice, run.getUrl() + "release-line/approve?id=" + id));
        assertEquals(400, twice.getWebResponse().getStatusCode());
        assertTrue(twice.getWebResponse()
                .getContentAsString()
                .contains("approver: alice already approved promotion " + id));
        run.doStop();
        r.waitForCompletion(run);
        assertEquals(PromotionStatus.CANCELLED, engine().promotion(id).status());
    }

    @Test
    void onlyTheEnvironmentsPromotersMayPromoteThere(JenkinsRule r) throws Exception {
        EnvironmentConfig prod = env("prod", null);
        prod.setPromoters("alice");
        PromotionConfiguration.get().setEnvironments(List.of(prod));
        WorkflowJob job = pipeline(r, "app", """
                promote(to: 'prod', artifact: 'app', version: '1.0.0', digest: '%s')""".formatted(SHA_OF_X));
        WorkflowRun byMallory = r.assertBuildStatus(
                Result.FAILURE, job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("mallory"))));
        r.assertLogContains("promoter: mallory may not promote to prod; allowed: alice", byMallory);
        r.assertBuildStatusSuccess(job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("alice"))));
    }

    static WebRequest post(JenkinsRule.WebClient wc, String relative) throws Exception {
        return wc.addCrumb(new WebRequest(new URL(wc.getContextPath() + relative), HttpMethod.POST));
    }
}
