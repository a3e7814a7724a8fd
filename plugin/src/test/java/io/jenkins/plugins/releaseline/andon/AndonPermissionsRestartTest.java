package io.jenkins.plugins.releaseline.andon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.User;
import hudson.security.Permission;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** An Andon grant stored in the authorization strategy is still in force after a restart. */
class AndonPermissionsRestartTest {

    private static final String PULL_ID = "io.jenkins.plugins.releaseline.andon.AndonPermissions.Pull";

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void anAndonGrantSurvivesARestart() throws Throwable {
        sessions.then(r -> {
            r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
            RememberingStrategy strategy = new RememberingStrategy();
            strategy.grant(Jenkins.READ).everywhere().toAuthenticated();
            strategy.grant(AndonPermissions.PULL).everywhere().to("oncall");
            r.jenkins.setAuthorizationStrategy(strategy);
            r.jenkins.save();
        });
        sessions.then(r -> {
            assertTrue(
                    RememberingStrategy.pullKnownWhenRead,
                    "Andon/Pull was registered before the authorization strategy was read from config.xml");
            User oncall = User.getById("oncall", true);
            User developer = User.getById("developer", true);
            assertNotNull(oncall);
            assertNotNull(developer);
            assertTrue(r.jenkins.getACL().hasPermission2(oncall.impersonate2(), AndonPermissions.PULL));
            assertFalse(r.jenkins.getACL().hasPermission2(developer.impersonate2(), AndonPermissions.PULL));
        });
    }

    /** Notes, when it is read back at start-up, whether the Andon permissions were known by then. */
    public static class RememberingStrategy extends MockAuthorizationStrategy {

        static volatile boolean pullKnownWhenRead;

        private Object readResolve() {
            // Permission.fromId would load the class itself; an authorization strategy that lists known permissions
            // does not
            pullKnownWhenRead = Permission.getAll().stream().anyMatch(p -> PULL_ID.equals(p.getId()));
            return this;
        }
    }
}
