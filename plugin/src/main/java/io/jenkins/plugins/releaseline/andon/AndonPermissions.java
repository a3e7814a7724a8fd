package io.jenkins.plugins.releaseline.andon;

import hudson.security.Permission;
import hudson.security.PermissionGroup;
import hudson.security.PermissionScope;
import io.jenkins.plugins.releaseline.engine.andon.AndonPermissions.Action;
import jenkins.model.Jenkins;

/**
 * The Andon permission group: Pull, Release and Override, each implied by Administer. Loaded with
 * {@link AndonRootAction}, an extension, so that the permissions exist before any authorization strategy
 * is configured.
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
