package io.jenkins.plugins.releaseline.toggles;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.UnprotectedRootAction;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;

/**
 * Not registered: {@code /release-line} belongs to the promotion capability's {@code ReleaseLineRootAction}, which
 * serves {@link TogglesPage} at {@code /release-line/toggles/}. Kept for its side-panel rules.
 * Unprotected so that an application holding an environment's token can read its flagd
 * export without a Jenkins account; every page and endpoint below checks its own permission.
 */
public class TogglesRootAction implements UnprotectedRootAction {

    private final TogglesPage toggles = new TogglesPage();

    @CheckForNull
    @Override
    public String getIconFileName() {
        // the link in the side panel, for those who may see the page
        return Jenkins.get().hasPermission(TogglePermissions.VIEW) ? "symbol-power" : null;
    }

    @CheckForNull
    @Override
    public String getDisplayName() {
        return Messages.TogglesPage_DisplayName();
    }

    @Override
    public String getUrlName() {
        return "release-line";
    }

    /** {@code /release-line/} itself: the side-panel link leads to the toggles page. */
    public HttpResponse doIndex() {
        return HttpResponses.redirectTo("toggles/");
    }

    /** {@code /release-line/toggles/}. */
    public TogglesPage getToggles() {
        return toggles;
    }
}
