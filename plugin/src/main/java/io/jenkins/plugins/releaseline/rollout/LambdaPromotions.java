package io.jenkins.plugins.releaseline.rollout;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.promotion.FreezeCheck;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.time.Clock;
import java.util.List;

/**
 * The promotion engine whose gates {@code lambdaDeploy} goes through, on the Release Line store. The freeze
 * board is whatever {@link FreezeCheck} is registered as an {@code @Extension}; with none, the freeze gate says
 * that no freeze board is installed.
 */
@Extension
public class LambdaPromotions {

    private Store store;
    private PromotionEngine engine;

    @NonNull
    public static LambdaPromotions get() {
        return ExtensionList.lookupSingleton(LambdaPromotions.class);
    }

    @NonNull
    public synchronized PromotionEngine engine() {
        Store current = ReleaseLineStore.get().store();
        if (current != store) {
            store = current;
            List<FreezeCheck> boards = ExtensionList.lookup(FreezeCheck.class);
            engine = new PromotionEngine(current, ReleaseLineStore.get().auditTrail(), Clock.systemUTC(),
                    boards.isEmpty() ? null : boards.get(0));
        }
        return engine;
    }
}
