package io.jenkins.plugins.releaseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.PluginWrapper;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.audit.VerificationReport;
import io.jenkins.plugins.releaseline.engine.store.Dialect;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jenkins.model.JenkinsLocationConfiguration;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class ReleaseLinePluginTest {

    @Test
    void pluginIsLoadedAndActive(JenkinsRule r) {
        PluginWrapper plugin = r.jenkins.getPluginManager().getPlugin("release-line");
        assertNotNull(plugin, "release-line is installed");
        assertTrue(plugin.isActive(), "release-line is active");
    }

    @Test
    void configurationSurvivesTheFormAndARestart(JenkinsRule r) throws Throwable {
        ReleaseLineConfiguration.get().setControllerId("ci-east");

        r.configRoundtrip();

        ReleaseLineConfiguration afterForm = ReleaseLineConfiguration.get();
        assertEquals("ci-east", afterForm.getControllerId());
        assertNull(afterForm.getJdbcUrl(), "a blank URL stays blank, meaning the embedded store");
        assertNull(afterForm.getCredentialsId(), "no credentials were selected");

        r.restart();

        assertEquals("ci-east", ReleaseLineConfiguration.get().getControllerId(), "saved and loaded again");
    }

    @Test
    void embeddedStoreOpensUnderJenkinsHomeAndItsAuditTrailVerifies(JenkinsRule r) {
        ReleaseLineStore holder = ReleaseLineStore.get();
        Store store = holder.store();

        assertEquals(Dialect.H2, store.dialect());
        Path file = r.jenkins.getRootDir().toPath().resolve("release-line").resolve("store.mv.db");
        assertTrue(Files.isRegularFile(file), "the H2 file is " + file);

        AuditTrail trail = holder.auditTrail();
        AuditRecord appended =
                trail.append("alice", AuditEvent.of("config.store-checked", AuditScope.GLOBAL, "smoke test"));
        List<AuditRecord> recent = trail.recent(AuditScope.GLOBAL, false, 10);
        assertEquals(1, recent.size());
        assertEquals(appended.seq(), recent.get(0).seq());
        assertEquals("alice", recent.get(0).principal());
        assertEquals(store.controllerId(), recent.get(0).controllerId());

        VerificationReport report = trail.verify();
        assertTrue(report.intact(), report::toString);
        assertEquals(1, report.recordsChecked());
    }

    @Test
    void storeIsReopenedWhenTheSettingsChange(JenkinsRule r) {
        ReleaseLineStore holder = ReleaseLineStore.get();
        Store first = holder.store();
        assertSame(first, holder.store(), "unchanged settings keep the open store");

        ReleaseLineConfiguration.get().setControllerId("ci-west");

        Store second = holder.store();
        assertNotSame(first, second);
        assertEquals("ci-west", second.controllerId());
    }

    @Test
    void defaultControllerIdComesFromTheConfiguredJenkinsUrl(JenkinsRule r) {
        JenkinsLocationConfiguration.get().setUrl("https://ci.example.com/jenkins/");
        assertEquals("ci.example.com-jenkins", ReleaseLineConfiguration.get().effectiveControllerId());

        JenkinsLocationConfiguration.get().setUrl(null);
        String fromInstanceId = ReleaseLineConfiguration.get().effectiveControllerId();
        assertEquals(
                "jenkins-" + r.jenkins.getLegacyInstanceId().substring(0, 12),
                fromInstanceId,
                "without a Jenkins URL the instance id names the controller");
    }

    @Test
    void actingUserIsTheUserOnWhoseBehalfTheCodeRuns(JenkinsRule r) {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        try (ACLContext ignored = ACL.as2(User.getById("alice", true).impersonate2())) {
            assertEquals("alice", ActingUser.id());
        }
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            assertEquals("SYSTEM", ActingUser.id());
        }
    }
}
