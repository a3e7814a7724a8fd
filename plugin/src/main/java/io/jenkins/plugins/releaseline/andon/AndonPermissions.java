package io.jenkins.plugins.releaseline.andon;

import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import hudson.security.PermissionScope;
import io.jenkins.plugins.releaseline.engine.andon.AndonPermissions.Action;
import jenkins.model.Jenkins;

/**
 * The Andon permission group: Pull, Release and Override, each implied by Administer. Registered by
 * {@link #register()} before the system configuration is loaded, so that an authorization strategy read at start
 * keeps its Andon grants.
 */
public final class AndonPermissions {

    public static final PermissionGroup GROUP =
            new PermissionGroup(AndonPermissions.class, Messages._PermissionGroup());
    public static final Permission PULL =
            new Permission(GROUP, "Pull", Messages._Pull_Description(), Jenkins.ADMINISTER, PermissionScope.JENKINS);
    public static final Permission RELEASE = new Permission(
            GROUP, "Release", Messages._Release_Description(), Jenkins.ADMINISTER, PermissionScope.JENKINS);
    public static final Permission OVERRIDE = new Permission(
            GROUP, "Override", Messages._Override_Description(), Jenkins.ADMINISTER, PermissionScope.JENKINS);

    private AndonPermissions() {}

    /**
     * Loads this class before the authorization strategy reads its configuration: a grant of a permission not yet
     * known when {@code config.xml} is read is dropped.
     */
    @Initializer(before = InitMilestone.SYSTEM_CONFIG_LOADED)
    public static void register() {
        // the static fields above register the group and its permissions
    }

    /** The engine's question, answered for whoever is acting on this thread (a web request, a CLI call, a build). */
    static boolean permits(Action action) {
        Permission p =
                switch (action) {
                    case PULL -> PULL;
                    case RELEASE -> RELEASE;
                    case OVERRIDE -> OVERRIDE;
                };
        return Jenkins.get().hasPermission(p);
    }
}
