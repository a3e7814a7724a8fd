package io.jenkins.plugins.releaseline.andon;

import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import java.util.List;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Tells administrators which saved freeze windows the board left out because they can never open (saved before
 * such windows were refused), so that they fix or remove them.
 */
@Extension
public class InvalidWindowsMonitor extends AdministrativeMonitor {

    @Override
    public String getDisplayName() {
        return Messages.InvalidWindowsMonitor_DisplayName();
    }

    @Override
    public boolean isActivated() {
        return !AndonConfiguration.get().getWindowProblems().isEmpty();
    }

    /** Each left-out window with the reason. */
    @Restricted(NoExternalUse.class)
    public List<String> getProblems() {
        return AndonConfiguration.get().getWindowProblems();
    }
}
