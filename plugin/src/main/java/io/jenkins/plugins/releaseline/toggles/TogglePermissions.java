package io.jenkins.plugins.releaseline.toggles;

import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import hudson.security.PermissionScope;
import jenkins.model.Jenkins;

/** The "Feature toggles" permissions: viewing the page (and, if so configured, the exports) and managing toggles. */
public final class TogglePermissions {

    public static final PermissionGroup GROUP =
            new PermissionGroup(TogglePermissions.class, Messages._TogglePermissions_Group());

    /** See the toggles page and, when the configuration says so, read the flagd exports. Implied by Overall/Read. */
    public static final Permission VIEW =
            new Permission(GROUP, "View", Messages._TogglePermissions_View(), Jenkins.READ, PermissionScope.JENKINS);

    /** "Manage toggles": flip, kill and set rollouts, on the page and from pipelines. Implied by Overall/Administer. */
    public static final Permission MANAGE = new Permission(
            GROUP, "Manage", Messages._TogglePermissions_Manage(), Jenkins.ADMINISTER, PermissionScope.JENKINS);

    private TogglePermissions() {}

    /** Loads this class before the authorization strategy reads its configuration, so the permissions are known. */
    @Initializer(before = InitMilestone.SYSTEM_CONFIG_LOADED)
    public static void register() {
        // the static fields above register the group and its permissions
    }
}
