package io.jenkins.plugins.releaseline.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.andon.AndonPermissions;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.Actor;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Environment;
import io.jenkins.plugins.releaseline.engine.promotion.EnvironmentOrder;
import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.telemetry.TelemetryFacts;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import jenkins.model.Jenkins;
import org.htmlunit.Page;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The delivery performance page, its JSON, the Prometheus endpoint, postmortem downloads and the metrics provider. */
@WithJenkins
class DeliveryPerformanceActionTest {

    static final String A = "sha256:" + "a".repeat(64);
    static final String B = "sha256:" + "b".repeat(64);

    private PromotionEngine promotions(Store store) {
        Clock clock = Clock.systemUTC();
        PromotionEngine engine = new PromotionEngine(
                store,
                new AuditTrail(store, clock),
                clock,
                (env, job, who) -> FreezeCheck.Answer.clear(),
                TelemetryFacts.LEDGER);
        engine.configure(EnvironmentOrder.of(List.of(Environment.first("prod"))), "admin");
        return engine;
    }

    private Promotion deploy(PromotionEngine engine, String digest, String version, String job, String link) {
        Promotion p = engine.request(
                new PromotionRequest("prod", Artifact.of("app", version, digest), null, job, link, "ci"));
        engine.begin(p.id(), false, "ci");
        return engine.finish(p.id(), true, "ci", null);
    }

    @Test
    void prometheusEndpointAndDoraJsonShowTheLedger(JenkinsRule r) throws Exception {
        PromotionEngine engine = promotions(ReleaseLineStore.get().store());
        deploy(engine, A, "1.0", "team/app", null);
        deploy(engine, B, "1.1", "team/app", null);

        JenkinsRule.WebClient wc = r.createWebClient();
        Page metrics = wc.goTo("release-line/prometheus", "text/plain");
        String text = metrics.getWebResponse().getContentAsString();
        assertTrue(text.contains("release_line_promotions_total{environment=\"prod\",outcome=\"deployed\"} 2\n"), text);
        assertTrue(text.contains("# TYPE release_line_freezes_active gauge\nrelease_line_freezes_active 0\n"), text);

        String json = wc.goTo("release-line/dora", "application/json")
                .getWebResponse()
                .getContentAsString();
        assertTrue(json.contains("\"name\":\"prod\""), json);
        assertTrue(json.contains("\"deployments\":2"), json);

        // the page loads with its adjuncts and the container the script fills
        String html = wc.goTo("release-line/performance/").getWebResponse().getContentAsString();
        assertTrue(html.contains("id=\"release-line-dora\""), html);
    }

    @Test
    void readersOnlyAndNothingForAnonymousWithoutRead(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(
                new MockAuthorizationStrategy().grant(Jenkins.READ).everywhere().to("alice"));
        JenkinsRule.WebClient anonymous = r.createWebClient();
        anonymous.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(
                403,
                anonymous.goTo("release-line/prometheus", null).getWebResponse().getStatusCode());
        assertEquals(
                403,
                anonymous
                        .goTo("release-line/postmortem?kind=freeze&id=1", null)
                        .getWebResponse()
                        .getStatusCode());
        JenkinsRule.WebClient alice = r.createWebClient().login("alice");
        assertEquals(
                200,
                alice.goTo("release-line/prometheus", "text/plain")
                        .getWebResponse()
                        .getStatusCode());
    }

    @Test
    void freezePostmortemDownloadsAsMarkdownAndBadRequestsSaySo(JenkinsRule r) throws Exception {
        Store store = ReleaseLineStore.get().store();
        Clock clock = Clock.systemUTC();
        try (FreezeBoard board = new FreezeBoard(
                store, new AuditTrail(store, clock), clock, AndonPermissions.overrideOnlyBy(Set.of()))) {
            Freeze f = board.pull("dave", PullRequest.of(FreezeScope.environment("prod"), "payments <b>down</b>"));
            JenkinsRule.WebClient wc = r.createWebClient();
            Page page = wc.goTo("release-line/postmortem?kind=freeze&id=" + f.id(), "text/markdown");
            String md = page.getWebResponse().getContentAsString();
            assertTrue(md.startsWith("# Postmortem: freeze-" + f.id()), md);
            assertTrue(md.contains("payments &lt;b&gt;down&lt;/b&gt;"), md);
            assertEquals(
                    "attachment; filename=\"postmortem-freeze-" + f.id() + ".md\"",
                    page.getWebResponse().getResponseHeaderValue("Content-Disposition"));
            wc.setThrowExceptionOnFailingStatusCode(false);
            assertEquals(
                    400,
                    wc.goTo("release-line/postmortem?kind=freeze&id=x", null)
                            .getWebResponse()
                            .getStatusCode());
            assertEquals(
                    404,
                    wc.goTo("release-line/postmortem?kind=freeze&id=999", null)
                            .getWebResponse()
                            .getStatusCode());
            assertEquals(
                    404,
                    wc.goTo("release-line/postmortem?kind=deploy&id=1", null)
                            .getWebResponse()
                            .getStatusCode());
        }
    }

    @Test
    void aBuildThatDeployedARollbackOffersItsPostmortem(JenkinsRule r) throws Exception {
        FreeStyleProject job = r.createFreeStyleProject("rollback-app");
        FreeStyleBuild plain = r.buildAndAssertSuccess(job);
        FreeStyleBuild build = r.buildAndAssertSuccess(job);
        String link = r.jenkins.getRootUrl() + build.getUrl();
        PromotionEngine engine = promotions(ReleaseLineStore.get().store());
        deploy(engine, A, "1.0", "team/app", null);
        deploy(engine, B, "1.1", "team/app", null);
        Promotion back = engine.rollback("prod", "app", Actor.user("oncall"), "errors", job.getFullName(), link);
        engine.begin(back.id(), false, "oncall");
        engine.finish(back.id(), true, "oncall", null);

        assertNull(plain.getAction(PostmortemBuildAction.class), "a build that did no rollback offers nothing");
        PostmortemBuildAction action = build.getAction(PostmortemBuildAction.class);
        assertNotNull(action);
        assertEquals(1, action.getAvailable().size());
        JenkinsRule.WebClient wc = r.createWebClient();
        String md = wc.goTo(
                        build.getUrl() + "release-line-postmortem/download?kind=rollback&id=" + back.id(),
                        "text/markdown")
                .getWebResponse()
                .getContentAsString();
        assertTrue(md.startsWith("# Postmortem: rollback of app in prod"), md);
        wc.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(
                404,
                wc.goTo(build.getUrl() + "release-line-postmortem/download?kind=freeze&id=1", null)
                        .getWebResponse()
                        .getStatusCode());
    }

    @Test
    void theMetricsPluginSeesTheTotals(JenkinsRule r) {
        PromotionEngine engine = promotions(ReleaseLineStore.get().store());
        deploy(engine, A, "1.0", "team/app", null);
        ReleaseLineMetricProvider provider = r.jenkins
                .getExtensionList(jenkins.metrics.api.MetricProvider.class)
                .get(ReleaseLineMetricProvider.class);
        assertNotNull(provider);
        Gauge<?> deployed = (Gauge<?>) provider.getMetricSet().getMetrics().get("release-line.promotions.deployed");
        assertEquals(1.0, deployed.getValue());
        Gauge<?> active = (Gauge<?>) provider.getMetricSet().getMetrics().get("release-line.freezes.active");
        assertEquals(0.0, active.getValue());
    }
}
