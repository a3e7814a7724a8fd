package io.jenkins.plugins.releaseline.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import java.util.List;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class ReleaseLineRootActionTest {

    static final String A = "sha256:" + "a".repeat(64);

    static void deploy(PromotionEngine engine, String env, String version, String digest) {
        Promotion p =
                engine.request(new PromotionRequest(env, Artifact.of("app", version, digest), null, "app", null, "ci"));
        Attempt a = engine.begin(p.id(), false, "ci");
        assertEquals(
                Attempt.Outcome.STARTED, a.outcome(), a.evaluation().verdicts().toString());
        engine.finish(p.id(), true, "ci", null);
    }

    @Test
    void theBoardShowsEachEnvironmentPendingApprovalsHistoryAndTheDiff(JenkinsRule r) throws Exception {
        EnvironmentConfig integration = new EnvironmentConfig("integration");
        EnvironmentConfig prod = new EnvironmentConfig("prod");
        prod.setPromotesFrom("integration");
        prod.setApprovals(1);
        PromotionConfiguration.get().setEnvironments(List.of(integration, prod));
        PromotionEngine engine = PromotionService.get().engine();
        deploy(engine, "integration", "1.4.2", A);
        Promotion waiting = engine.request(
                new PromotionRequest("prod", Artifact.of("app", "1.4.2", A), null, "app", null, "carol"));

        JenkinsRule.WebClient wc = r.createWebClient();
        HtmlPage board = wc.goTo("release-line/");
        String text = board.asNormalizedText();
        assertTrue(text.contains("integration"), text);
        assertTrue(text.contains("1.4.2"), text);
        assertTrue(text.contains("Nothing deployed yet."), text);
        assertTrue(text.contains("carol"), "the pending approval is listed: " + text);

        assertTrue(wc.goTo("release-line/artifact/app/").asNormalizedText().contains("DEPLOYED"));
        assertTrue(wc.goTo("release-line/environment/integration/")
                .asNormalizedText()
                .contains("REQUESTED"));
        String diff = wc.goTo("release-line/diff?from=integration&to=prod").asNormalizedText();
        assertTrue(diff.contains("sha256:aaaaaaaaaaaa"), diff);

        JSONObject api = r.getJSON("release-line/api/json?depth=2").getJSONObject();
        JSONArray envs = api.getJSONArray("environments");
        assertEquals("integration", envs.getJSONObject(0).getString("name"));
        assertEquals(
                "1.4.2",
                envs.getJSONObject(0)
                        .getJSONArray("deployments")
                        .getJSONObject(0)
                        .getString("version"));
        assertEquals(
                A,
                envs.getJSONObject(0)
                        .getJSONArray("deployments")
                        .getJSONObject(0)
                        .getString("digest"));
        assertEquals(
                waiting.id(),
                api.getJSONArray("pendingApprovals").getJSONObject(0).getLong("id"));
    }

    @Test
    void userTextIsEscaped(JenkinsRule r) throws Exception {
        PromotionConfiguration.get().setEnvironments(List.of(new EnvironmentConfig("integration")));
        PromotionEngine engine = PromotionService.get().engine();
        Promotion p = engine.request(
                new PromotionRequest("integration", Artifact.of("app", "1.0", A), null, "app", null, "<b>mallory</b>"));
        engine.cancel(p.id(), "ci", "<script>alert(1)</script>");
        String html = r.createWebClient()
                .goTo("release-line/environment/integration/")
                .getWebResponse()
                .getContentAsString();
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(!html.contains("<script>alert(1)</script>"));
    }

    @Test
    void anApprovalWithoutTheCrumbOrThePermissionIsRefused(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new org.jvnet.hudson.test.MockAuthorizationStrategy()
                .grant(jenkins.model.Jenkins.READ)
                .everywhere()
                .to("reader"));
        JenkinsRule.WebClient wc =
                r.createWebClient().withThrowExceptionOnFailingStatusCode(false).login("reader");
        assertEquals(
                403,
                wc.getPage(PromoteStepTest.post(wc, "release-line/approve?id=1"))
                        .getWebResponse()
                        .getStatusCode());
        assertEquals(
                405, wc.goTo("release-line/approve?id=1", null).getWebResponse().getStatusCode(), "GET is not allowed");
    }
}
