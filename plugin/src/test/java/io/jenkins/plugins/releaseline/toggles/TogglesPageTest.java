package io.jenkins.plugins.releaseline.toggles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.util.Secret;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import io.jenkins.plugins.releaseline.engine.toggles.FlagdExport;
import java.net.URL;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The Feature toggles page, its POST actions with their permission, and the flagd endpoint with ETags and tokens. */
@WithJenkins
class TogglesPageTest {

    private JenkinsRule j;

    @BeforeEach
    void setUp(JenkinsRule j) {
        this.j = j;
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, TogglePermissions.VIEW)
                .everywhere()
                .to("viewer")
                .grant(Jenkins.READ, TogglePermissions.VIEW, TogglePermissions.MANAGE)
                .everywhere()
                .to("manager"));
        FeatureTogglesConfiguration config = FeatureTogglesConfiguration.get();
        config.setEnvironments("staging, prod");
        ToggleDefinitionSpec spec = new ToggleDefinitionSpec("new-checkout");
        spec.setDescription("<b>not bold</b> checkout");
        config.setToggles(List.of(spec));
        config.applyToStore("test");
    }

    private WebRequest post(String action, String query) throws Exception {
        WebRequest req =
                new WebRequest(new URL(j.getURL(), "release-line/toggles/" + action + "?" + query), HttpMethod.POST);
        return req;
    }

    @Test
    void theGridShowsTogglesByEnvironmentsWithDescriptionsEscaped() throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().login("viewer");
        HtmlPage page = wc.goTo("release-line/toggles/");
        String html = page.getWebResponse().getContentAsString();
        assertTrue(html.contains("new-checkout"));
        assertTrue(html.contains("&lt;b&gt;not bold&lt;/b&gt;"), "the description is escaped");
        assertNotNull(page.getElementById("release-line-toggle-grid"));
        assertFalse(html.contains("release-line-flip"), "a viewer sees no buttons");
        assertFalse(html.contains("<script>"), "no inline script");
    }

    @Test
    void flipKillAndRolloutNeedManageTogglesAndAPost() throws Exception {
        FeatureToggles engine = ToggleService.get().toggles();
        JenkinsRule.WebClient viewer = j.createWebClient().login("viewer");
        viewer.setThrowExceptionOnFailingStatusCode(false);
        Page refused = viewer.getPage(viewer.addCrumb(post("flip", "key=new-checkout&environment=prod&enabled=true")));
        assertEquals(403, refused.getWebResponse().getStatusCode());
        assertFalse(engine.toggle("new-checkout").orElseThrow().setting("prod").enabled());

        JenkinsRule.WebClient manager = j.createWebClient().login("manager");
        manager.setThrowExceptionOnFailingStatusCode(false);
        Page get = manager.goTo("release-line/toggles/flip?key=new-checkout&environment=prod&enabled=true", null);
        assertEquals(405, get.getWebResponse().getStatusCode(), "GET is refused");

        assertEquals(
                200,
                manager.getPage(manager.addCrumb(post("flip", "key=new-checkout&environment=prod&enabled=true")))
                        .getWebResponse()
                        .getStatusCode());
        assertTrue(engine.toggle("new-checkout").orElseThrow().setting("prod").enabled());
        assertEquals("manager", engine.history("new-checkout", 1).get(0).principal());

        assertEquals(
                200,
                manager.getPage(manager.addCrumb(post("rollout", "key=new-checkout&environment=prod&percentage=30")))
                        .getWebResponse()
                        .getStatusCode());
        assertEquals(
                30.0,
                engine.toggle("new-checkout").orElseThrow().setting("prod").percentServed("on"));

        Page bad =
                manager.getPage(manager.addCrumb(post("rollout", "key=new-checkout&environment=prod&percentage=130")));
        assertEquals(400, bad.getWebResponse().getStatusCode());
        assertTrue(bad.getWebResponse().getContentAsString().contains("percentage: 130 is outside 0..100"));

        assertEquals(
                200,
                manager.getPage(manager.addCrumb(post("kill", "key=new-checkout&environment=prod&reason=INC-3")))
                        .getWebResponse()
                        .getStatusCode());
        assertTrue(engine.toggle("new-checkout").orElseThrow().setting("prod").killed());

        HtmlPage history = manager.goTo("release-line/toggles/history/new-checkout/");
        String text = history.getWebResponse().getContentAsString();
        assertTrue(text.contains("toggle.kill") && text.contains("INC-3") && text.contains("toggle.rollout"));

        assertEquals(
                403,
                viewer.getPage(viewer.addCrumb(post("delete", "key=new-checkout&reason=gone")))
                        .getWebResponse()
                        .getStatusCode());
        assertEquals(
                200,
                manager.getPage(manager.addCrumb(post("delete", "key=new-checkout&reason=code+removed")))
                        .getWebResponse()
                        .getStatusCode());
        assertTrue(engine.toggle("new-checkout").isEmpty());
    }

    @Test
    void theFlagdEndpointAnswersWithEtagsAnd304sToThoseAllowed() throws Exception {
        JenkinsRule.WebClient viewer = j.createWebClient().login("viewer");
        Page page = viewer.goTo("release-line/toggles/prod.flagd.json", "application/json");
        String etag = page.getWebResponse().getResponseHeaderValue("ETag");
        FlagdExport expected = FlagdExport.of(ToggleService.get().toggles().snapshot(), "prod");
        assertEquals(expected.etag(), etag);
        assertEquals(expected.text(), page.getWebResponse().getContentAsString());

        WebRequest again = new WebRequest(new URL(j.getURL(), "release-line/toggles/prod.flagd.json"));
        again.setAdditionalHeader("If-None-Match", etag);
        assertEquals(304, viewer.getPage(again).getWebResponse().getStatusCode());

        JenkinsRule.WebClient anonymous = j.createWebClient();
        anonymous.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(
                403,
                anonymous
                        .goTo("release-line/toggles/prod.flagd.json", null)
                        .getWebResponse()
                        .getStatusCode());
        viewer.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(
                404,
                viewer.goTo("release-line/toggles/qa.flagd.json", null)
                        .getWebResponse()
                        .getStatusCode());
    }

    @Test
    void anEnvironmentsTokenLetsAnApplicationReadItsExportOnly() throws Exception {
        CredentialsProvider.lookupStores(j.jenkins)
                .iterator()
                .next()
                .addCredentials(
                        Domain.global(),
                        new StringCredentialsImpl(
                                CredentialsScope.GLOBAL,
                                "prod-token",
                                "prod export",
                                Secret.fromString("prod-token-0123456789abcdef")));
        FeatureTogglesConfiguration config = FeatureTogglesConfiguration.get();
        config.setExportAccess(FeatureTogglesConfiguration.ExportAccess.TOKEN_ONLY);
        config.setExportTokens(List.of(new ExportToken("prod", "prod-token")));

        JenkinsRule.WebClient app = j.createWebClient();
        app.setThrowExceptionOnFailingStatusCode(false);
        WebRequest withToken = new WebRequest(new URL(j.getURL(), "release-line/toggles/prod.flagd.json"));
        withToken.setAdditionalHeader("Authorization", "Bearer prod-token-0123456789abcdef");
        assertEquals(200, app.getPage(withToken).getWebResponse().getStatusCode());

        WebRequest otherEnv = new WebRequest(new URL(j.getURL(), "release-line/toggles/staging.flagd.json"));
        otherEnv.setAdditionalHeader("Authorization", "Bearer prod-token-0123456789abcdef");
        assertEquals(403, app.getPage(otherEnv).getWebResponse().getStatusCode());

        JenkinsRule.WebClient viewer = j.createWebClient().login("viewer");
        viewer.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(
                403,
                viewer.goTo("release-line/toggles/prod.flagd.json", null)
                        .getWebResponse()
                        .getStatusCode(),
                "TOKEN_ONLY: a Jenkins user without the token is refused");
    }
}
