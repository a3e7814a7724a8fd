package io.jenkins.plugins.releaseline.rollout;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Run;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.rollout.BlueGreenController;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.time.Clock;

/** The engine's blue-green controller on this controller's store. */
final class RolloutEngine {

    private RolloutEngine() {}

    @NonNull
    static Store store() {
        return ReleaseLineStore.get().store();
    }

    @NonNull
    static AuditTrail audit() {
        return ReleaseLineStore.get().auditTrail();
    }

    @NonNull
    static BlueGreenController controller() {
        return new BlueGreenController(store(), audit(), Clock.systemUTC());
    }

    /** Who acts: the user running the step, or the build itself ({@code job/name#number}) when it runs as SYSTEM. */
    @NonNull
    static String principal(@CheckForNull Run<?, ?> run) {
        String id = ActingUser.id();
        if (run != null && "SYSTEM".equals(id)) {
            return run.getExternalizableId();
        }
        return id;
    }
}
