package io.jenkins.plugins.releaseline.rollout.bluegreen;

import edu.umd.cs.findbugs.annotations.NonNull;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenController;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.time.Clock;

/** The engine's blue-green controller on this controller's store. */
public final class BlueGreenService {

    private BlueGreenService() {}

    @NonNull
    public static Store store() {
        return ReleaseLineStore.get().store();
    }

    @NonNull
    public static AuditTrail audit() {
        return ReleaseLineStore.get().auditTrail();
    }

    @NonNull
    public static BlueGreenController controller() {
        return new BlueGreenController(store(), audit(), Clock.systemUTC());
    }
}
