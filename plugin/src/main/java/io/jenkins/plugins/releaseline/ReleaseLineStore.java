package io.jenkins.plugins.releaseline;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.Terminator;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's {@link Store} as this controller sees it: opened on first use with the settings of
 * {@link ReleaseLineConfiguration}, opened again when those settings change, closed when Jenkins stops.
 */
@Extension
public class ReleaseLineStore {

    private static final Logger LOGGER = Logger.getLogger(ReleaseLineStore.class.getName());

    private Store store;
    private StoreSettings openedWith;

    @NonNull
    public static ReleaseLineStore get() {
        return ExtensionList.lookupSingleton(ReleaseLineStore.class);
    }

    /**
     * The open store, opened or reopened here if the configuration changed since it was opened.
     *
     * @throws IllegalArgumentException if the configuration is invalid
     * @throws io.jenkins.plugins.releaseline.engine.store.StoreException if the database cannot be reached or migrated
     */
    @NonNull
    public synchronized Store store() {
        StoreSettings settings = ReleaseLineConfiguration.get().storeSettings();
        if (store != null && settings.equals(openedWith)) {
            return store;
        }
        close();
        LOGGER.log(Level.INFO, "Opening the Release Line store: {0}", settings);
        store = Store.open(settings);
        openedWith = settings;
        return store;
    }

    /** The audit trail of the open store, stamped with the system clock. */
    @NonNull
    public AuditTrail auditTrail() {
        return new AuditTrail(store(), Clock.systemUTC());
    }

    synchronized void close() {
        if (store == null) {
            return;
        }
        LOGGER.log(Level.INFO, "Closing the Release Line store: {0}", openedWith);
        try {
            store.close();
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Could not close the Release Line store cleanly", e);
        } finally {
            store = null;
            openedWith = null;
        }
    }

    @Terminator
    public static void closeOnShutdown() {
        for (ReleaseLineStore holder : ExtensionList.lookup(ReleaseLineStore.class)) {
            holder.close();
        }
    }
}
