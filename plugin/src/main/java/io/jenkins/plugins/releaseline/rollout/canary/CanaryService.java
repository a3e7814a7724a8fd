package io.jenkins.plugins.releaseline.rollout.canary;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.time.Clock;

/**
 * The engine's canary controller for this Jenkins: one per open store, so that the build's own progress and the
 * buttons of its page go through the same controller (which serialises the router calls of a rollout).
 */
@Extension
public class CanaryService {

    private Store store;
    private CanaryController controller;

    @NonNull
    public static CanaryService get() {
        return ExtensionList.lookupSingleton(CanaryService.class);
    }

    @NonNull
    public synchronized CanaryController controller() {
        Store current = ReleaseLineStore.get().store();
        if (current != store) {
            store = current;
            controller = new CanaryController(current, new AuditTrail(current, Clock.systemUTC()), Clock.systemUTC());
        }
        return controller;
    }
}
