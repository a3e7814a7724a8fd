package io.jenkins.plugins.releaseline.toggles;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.Terminator;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.store.ChangeWatcher;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import java.time.Clock;
import java.time.Duration;

/**
 * This controller's {@link FeatureToggles}: built on the Release Line store when first needed (again if the store
 * is reopened with other settings), kept current with changes made by other controllers by a change watcher.
 */
@Extension
public class ToggleService {

    /** How often other controllers' changes are looked for. */
    static final Duration WATCH_INTERVAL = Duration.ofMillis(500);

    private FeatureToggles toggles;
    private Store openedOn;
    private ChangeWatcher watcher;

    @NonNull
    public static ToggleService get() {
        return ExtensionList.lookupSingleton(ToggleService.class);
    }

    @NonNull
    public synchronized FeatureToggles toggles() {
        Store store = ReleaseLineStore.get().store();
        if (toggles == null || store != openedOn) {
            close();
            toggles = new FeatureToggles(store, ReleaseLineStore.get().auditTrail(), Clock.systemUTC());
            watcher = new ChangeWatcher(store, WATCH_INTERVAL);
            toggles.watch(watcher);
            openedOn = store;
        }
        return toggles;
    }

    synchronized void close() {
        if (watcher != null) {
            watcher.close();
        }
        watcher = null;
        toggles = null;
        openedOn = null;
    }

    @Terminator
    public static void closeOnShutdown() {
        for (ToggleService engine : ExtensionList.lookup(ToggleService.class)) {
            engine.close();
        }
    }
}
