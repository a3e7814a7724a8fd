package io.jenkins.plugins.releaseline;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.Terminator;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreAvailability;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's {@link Store} as this controller sees it: opened on first use with the settings of
 * {@link ReleaseLineConfiguration}, opened again when those settings change, closed when Jenkins stops.
 *
 * <p>Opening reaches the database, so {@link #store()} is for the paths that need the database anyway (steps
 * on {@code Timer}, pages that change something, the CLI); the queue and the page decorators read only
 * {@link #current()} and the Andon board held in memory. While the database is down, {@link #availability()}
 * (the engine's circuit breaker) makes {@link #store()} and every store call fail at once with "store
 * unavailable since T", and lets one caller try again after 250 ms, then after doubling waits of up to 1 s.
 */
@Extension
public class ReleaseLineStore {

    private static final Logger LOGGER = Logger.getLogger(ReleaseLineStore.class.getName());

    private final Object openLock = new Object();
    private volatile Store store;
    private volatile StoreSettings openedWith;
    /** The breaker of the settings last tried; a new one when the settings change. */
    private volatile StoreAvailability availability = new StoreAvailability(Clock.systemUTC());

    private StoreSettings triedWith;

    @NonNull
    public static ReleaseLineStore get() {
        return ExtensionList.lookupSingleton(ReleaseLineStore.class);
    }

    /**
     * The open store, opened or reopened here if the configuration changed since it was opened. Not for hot
     * paths: the first call (or the one whose turn it is to retry a dead database) waits for one connection
     * attempt, bounded by the engine's connect timeouts of a few seconds.
     *
     * @throws IllegalArgumentException if the configuration is invalid
     * @throws io.jenkins.plugins.releaseline.engine.store.StoreUnavailableException at once while the database
     *     is known to be down, or if this attempt to reach it fails
     */
    @NonNull
    public Store store() {
        StoreSettings settings = ReleaseLineConfiguration.get().storeSettings();
        Store open = store;
        if (open != null && settings.equals(openedWith)) {
            return open;
        }
        synchronized (openLock) {
            if (store != null && settings.equals(openedWith)) {
                return store;
            }
            close();
            if (!settings.equals(triedWith)) {
                // other settings, another database: what was learnt about the old one does not apply
                availability = new StoreAvailability(Clock.systemUTC());
                triedWith = settings;
            }
            LOGGER.log(Level.FINE, "Opening the Release Line store: {0}", settings);
            Store opened = Store.open(settings, availability);
            LOGGER.log(Level.INFO, "Opened the Release Line store: {0}", settings);
            openedWith = settings;
            store = opened;
            return opened;
        }
    }

    /** The store if it is open, without opening it or looking at the configuration; for hot paths. */
    @CheckForNull
    public Store current() {
        return store;
    }

    /** Whether the database can be reached, since when it cannot, and the last error; never blocks. */
    @NonNull
    public StoreAvailability availability() {
        return availability;
    }

    /** The audit trail of the open store, stamped with the system clock. */
    @NonNull
    public AuditTrail auditTrail() {
        return new AuditTrail(store(), Clock.systemUTC());
    }

    void close() {
        synchronized (openLock) {
            Store open = store;
            if (open == null) {
                return;
            }
            LOGGER.log(Level.INFO, "Closing the Release Line store: {0}", openedWith);
            try {
                open.close();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "Could not close the Release Line store cleanly", e);
            } finally {
                store = null;
                openedWith = null;
            }
        }
    }

    @Terminator
    public static void closeOnShutdown() {
        for (ReleaseLineStore holder : ExtensionList.lookup(ReleaseLineStore.class)) {
            holder.close();
        }
    }
}
