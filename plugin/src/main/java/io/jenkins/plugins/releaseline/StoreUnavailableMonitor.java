package io.jenkins.plugins.releaseline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import java.time.temporal.ChronoUnit;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Tells administrators, while it lasts, that the Release Line store cannot be reached: since when, and the
 * last error. Reads the engine's breaker only (no database call), so it costs nothing on the pages that ask.
 */
@Extension
public class StoreUnavailableMonitor extends AdministrativeMonitor {

    @Override
    public String getDisplayName() {
        return Messages.StoreUnavailableMonitor_DisplayName();
    }

    @Override
    public boolean isActivated() {
        return !ReleaseLineStore.get().availability().isAvailable();
    }

    /** Since when the store cannot be reached, to the second; null while it can. */
    @Restricted(NoExternalUse.class)
    @CheckForNull
    public String getSince() {
        return ReleaseLineStore.get()
                .availability()
                .unavailableSince()
                .map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString())
                .orElse(null);
    }

    /** The error of the last attempt to reach the store. */
    @Restricted(NoExternalUse.class)
    @CheckForNull
    public String getLastError() {
        return ReleaseLineStore.get().availability().lastError().orElse(null);
    }

    /** Where the store's settings are: the Release Line section of the system configuration. */
    @Restricted(NoExternalUse.class)
    public String getConfigureUrl() {
        return "manage/configure";
    }
}
