package io.jenkins.plugins.releaseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Cause;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.triggers.TimerTrigger;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** How the audit trail names who acts: a user, the build itself when it runs as the system, and a build's starter. */
@WithJenkins
class ActingUserTest {

    @Test
    void aBuildRunningAsTheSystemIsNamedByItsId(JenkinsRule r) throws Exception {
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        FreeStyleProject p = r.createFreeStyleProject("deploy");
        FreeStyleBuild b = r.buildAndAssertSuccess(p);
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            assertEquals("deploy#1", ActingUser.of(b));
            assertEquals("SYSTEM", ActingUser.of(null));
        }
        try (ACLContext ignored = ACL.as2(User.getById("alice", true).impersonate2())) {
            assertEquals("alice", ActingUser.of(b));
        }
    }

    @Test
    void theStarterIsTheUserWhoStartedTheBuildOrTheSystem(JenkinsRule r) throws Exception {
        JenkinsRule.DummySecurityRealm realm = r.createDummySecurityRealm();
        realm.addGroups("alice", "release-managers");
        r.jenkins.setSecurityRealm(realm);
        User.getById("alice", true);
        FreeStyleProject p = r.createFreeStyleProject("deploy");
        FreeStyleBuild byAlice = r.assertBuildStatusSuccess(p.scheduleBuild2(0, new Cause.UserIdCause("alice")));
        FreeStyleBuild byTimer = r.assertBuildStatusSuccess(p.scheduleBuild2(0, new TimerTrigger.TimerTriggerCause()));
        assertEquals("alice", ActingUser.starter(byAlice));
        assertEquals("SYSTEM", ActingUser.starter(byTimer));
        assertTrue(ActingUser.groups("SYSTEM").isEmpty());
        assertTrue(ActingUser.groups("alice").contains("release-managers"));
    }
}
