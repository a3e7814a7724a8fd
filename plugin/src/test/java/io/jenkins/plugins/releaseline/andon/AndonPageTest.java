package io.jenkins.plugins.releaseline.andon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeScope;
import io.jenkins.plugins.releaseline.engine.andon.PullRequest;
import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The /andon page's API with and without permission, and the banner on every page. */
@WithJenkins
class AndonPageTest {

    private static void secure(JenkinsRule r) {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ)
                .everywhere()
                .toEveryone()
                .grant(AndonPermissions.PULL, AndonPermissions.RELEASE)
                .everywhere()
                .to("oncall")
                .grant(Jenkins.ADMINISTER)
                .everywhere()
                .to("admin"));
    }

    private static Page post(JenkinsRule.WebClient wc, String action, NameValuePair... params) throws Exception {
        WebRequest req = new WebRequest(wc.createCrumbedUrl("andon/" + action), HttpMethod.POST);
        req.setRequestParameters(List.of(params));
        return wc.getPage(req);
    }

    @Test
    void onlyUsersWithThePullPermissionPullTheCord(JenkinsRule r) throws Exception {
        secure(r);
        JenkinsRule.WebClient viewer = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        viewer.login("viewer");
        Page refused =
                post(viewer, "pull", new NameValuePair("scope", "everything"), new NameValuePair("reason", "prank"));
        assertEquals(403, refused.getWebResponse().getStatusCode());
        assertTrue(refused.getWebResponse().getContentAsString().contains("Andon Pull permission"));
        assertFalse(AndonService.get().board().isLineStopped());

        JenkinsRule.WebClient oncall = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        oncall.login("oncall");
        Page pulled = post(
                oncall,
                "pull",
                new NameValuePair("scope", "environment:prod"),
                new NameValuePair("reason", "Payments down"));
        assertEquals(200, pulled.getWebResponse().getStatusCode());
        assertTrue(pulled.getWebResponse().getContentAsString().contains("\"state\":\"stopped\""));
        assertTrue(AndonService.get().board().isLineStopped());
        AuditRecord last =
                ReleaseLineStore.get().auditTrail().recent(null, false, 1).get(0);
        assertEquals("andon.pull", last.action());
        assertEquals("oncall", last.principal());

        Page empty = post(oncall, "pull", new NameValuePair("scope", "everything"), new NameValuePair("reason", ""));
        assertEquals(400, empty.getWebResponse().getStatusCode());
        assertTrue(empty.getWebResponse().getContentAsString().contains("reason: must say why"));

        long id = AndonService.get().board().active().get(0).id();
        Page notAllowed = post(viewer, "release", new NameValuePair("id", String.valueOf(id)));
        assertEquals(403, notAllowed.getWebResponse().getStatusCode());
        Page released =
                post(oncall, "release", new NameValuePair("id", "freeze-" + id), new NameValuePair("note", "back"));
        assertEquals(200, released.getWebResponse().getStatusCode());
        Page again = post(oncall, "release", new NameValuePair("id", String.valueOf(id)));
        assertEquals(409, again.getWebResponse().getStatusCode());
        assertTrue(again.getWebResponse().getContentAsString().contains("was already released by oncall"));
    }

    @Test
    void changesNeedAPost(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        Page get = wc.goTo("andon/pull?scope=everything&reason=x", null);
        assertEquals(405, get.getWebResponse().getStatusCode());
        assertFalse(AndonService.get().board().isLineStopped());
    }

    @Test
    void thePageLoadsItsScriptAndShowsTheBoard(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient();
        // the script's behaviour is tested in a real browser (engine AndonPageBrowserTest); here the page's markup
        wc.getOptions().setJavaScriptEnabled(false);
        HtmlPage page = wc.goTo("andon/");
        DomElement root = page.getElementById("andon-root");
        assertNotNull(root);
        assertTrue(page.asXml().contains("andon.js"), "the adjunct is included");
        Page state = r.createWebClient().goTo("andon/state", "application/json");
        assertTrue(state.getWebResponse().getContentAsString().contains("\"state\":\"running\""));
    }

    @Test
    void theBannerShowsWhileAFreezeIsActiveWithTheReasonEscaped(JenkinsRule r) throws Exception {
        JenkinsRule.WebClient wc = r.createWebClient();
        assertNull(wc.goTo("").getElementById("andon-banner"), "no banner while the line runs");

        String reason = "<script>alert('andon-xss')</script> DB failover";
        Freeze f = AndonService.get().board().pull("alice", PullRequest.of(FreezeScope.environment("prod"), reason));

        HtmlPage page = wc.goTo("");
        DomElement banner = page.getElementById("andon-banner");
        assertNotNull(banner, "banner on the dashboard");
        assertTrue(banner.getTextContent().contains(reason), "the reason as text: " + banner.getTextContent());
        assertTrue(banner.getTextContent().contains("environment:prod"));
        assertTrue(banner.getTextContent().contains("alice"));
        assertEquals(0, banner.getElementsByTagName("script").size(), "markup in the reason is not markup on the page");
        assertTrue(page.getWebResponse()
                        .getContentAsString()
                        .contains("&lt;script&gt;alert(&#39;andon-xss&#39;)&lt;/script&gt;")
                || page.getWebResponse()
                        .getContentAsString()
                        .contains("&lt;script&gt;alert('andon-xss')&lt;/script&gt;"));
        assertNotNull(wc.goTo("manage/").getElementById("andon-banner"), "and on other pages");

        AndonService.get().board().release("alice", f.id(), null);
        assertNull(wc.goTo("").getElementById("andon-banner"), "gone after the release");
    }
}
