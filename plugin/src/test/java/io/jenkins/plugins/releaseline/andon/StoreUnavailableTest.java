package io.jenkins.plugins.releaseline.andon;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.ExtensionList;
import hudson.model.FreeStyleProject;
import hudson.model.Result;
import io.jenkins.plugins.releaseline.ReleaseLineConfiguration;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.StoreUnavailableMonitor;
import io.jenkins.plugins.releaseline.engine.store.StoreUnavailableException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The store points at a PostgreSQL port nobody listens on: builds still run, the banner and the administrative
 * monitor say the store is unavailable since when, and a deployment check refuses saying so.
 */
@WithJenkins
class StoreUnavailableTest {

    @Test
    void anUnreachableStoreStopsNeitherTheQueueNorThePagesAndAdministratorsAreTold(JenkinsRule r) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ReleaseLineConfiguration.get().setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/release_line");

        StoreUnavailableException refused = assertThrows(
                StoreUnavailableException.class, () -> ReleaseLineStore.get().store());
        assertTrue(refused.getMessage().startsWith("Release Line store unavailable since "), refused.getMessage());
        long start = System.nanoTime();
        assertThrows(
                StoreUnavailableException.class, () -> ReleaseLineStore.get().store());
        assertTrue(
                System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3),
                "refused by the breaker, or after one attempt bounded by the connect timeouts");

        StoreUnavailableMonitor monitor = ExtensionList.lookupSingleton(StoreUnavailableMonitor.class);
        assertTrue(monitor.isActivated(), "administrators are told");
        assertNotNull(monitor.getSince());
        assertTrue(monitor.getLastError().contains("refused"), monitor.getLastError());

        // the board held on the old store goes away with it within one maintenance round
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (AndonService.get().current() != null) {
            assertTrue(System.nanoTime() < deadline, "the board on the replaced store was dropped");
            Thread.sleep(100);
        }

        // the queue does not ask the store: a freestyle build runs
        FreeStyleProject app = r.createFreeStyleProject("app");
        r.buildAndAssertSuccess(app);

        // every page still renders, with the notice instead of freezes
        JenkinsRule.WebClient wc = r.createWebClient();
        HtmlPage page = wc.goTo("");
        DomElement notice = page.getElementById("andon-store-unavailable");
        assertNotNull(notice, "the banner says the store is unavailable");
        assertTrue(
                notice.getTextContent().contains("The Release Line store is unavailable since"),
                notice.getTextContent());
        assertNull(page.getElementById("andon-banner"), "no freezes shown: none could be read");

        // a deployment check refuses, saying why
        WorkflowJob deploy = r.createProject(WorkflowJob.class, "deploy");
        deploy.setDefinition(new CpsFlowDefinition("andonCheck environment: 'prod'\necho 'deployed'", true));
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, deploy);
        r.assertLogContains("Release Line store unavailable since", b);
        r.assertLogNotContains("deployed", b);
    }
}
