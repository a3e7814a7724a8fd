package io.jenkins.plugins.releaseline.promotion;

import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.model.Item;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import hudson.security.PermissionScope;
import jenkins.model.Jenkins;

/**
 * Promote (a job may promote: checked on the job for the build's authentication, and on the environment pages)
 * and Approve (may answer an approval; the environment's approver list narrows it further).
 */
public final class PromotionPermissions {

    public static final PermissionGroup GROUP =
            new PermissionGroup(PromotionPermissions.class, Messages._PromotionPermissions_Group());

    public static final Permission PROMOTE = new Permission(
            GROUP, "Promote", Messages._PromotionPermissions_Promote(), Item.BUILD, PermissionScope.ITEM);

    public static final Permission APPROVE = new Permission(
            GROUP, "Approve", Messages._PromotionPermissions_Approve(), Jenkins.ADMINISTER, PermissionScope.ITEM);

    private PromotionPermissions() {}

    /** Loads this class early, so that the permissions appear in the authorization matrix. */
    @Initializer(before = InitMilestone.SYSTEM_CONFIG_LOADED)
    public static void register() {
        // class loading registers the static permissions
    }
}
