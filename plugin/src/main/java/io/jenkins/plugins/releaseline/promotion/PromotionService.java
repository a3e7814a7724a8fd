package io.jenkins.plugins.releaseline.promotion;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.security.ACL;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.andon.AndonService;
import io.jenkins.plugins.releaseline.engine.andon.AndonFreezeCheck;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.telemetry.TelemetryFacts;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This controller's promotion engine over the Release Line store, made again when the store is reopened, with the
 * environments of {@link PromotionConfiguration} applied. Wired here once: its freeze gate asks this controller's
 * Andon board ({@link AndonFreezeCheck}) and delivery telemetry listens to its ledger ({@link TelemetryFacts#LEDGER}).
 */
@Extension
public class PromotionService {

    private static final Logger LOGGER = Logger.getLogger(PromotionService.class.getName());

    private Store engineStore;
    private PromotionEngine engine;

    @NonNull
    public static PromotionService get() {
        return ExtensionList.lookupSingleton(PromotionService.class);
    }

    /** The engine; opens the store if needed. */
    @NonNull
    public synchronized PromotionEngine engine() {
        Store store = ReleaseLineStore.get().store();
        if (engine == null || store != engineStore) {
            PromotionEngine made = new PromotionEngine(
                    store,
                    new AuditTrail(store, Clock.systemUTC()),
                    Clock.systemUTC(),
                    new AndonFreezeCheck(() -> AndonService.get().board()),
                    TelemetryFacts.LEDGER);
            made.configure(PromotionConfiguration.get().toOrder(), ACL.SYSTEM2.getName());
            engine = made;
            engineStore = store;
        }
        return engine;
    }

    /** Stores a changed environment order; a store that cannot be reached now gets it when the engine is next made. */
    void apply(PromotionConfiguration configuration, String principal) {
        PromotionEngine current;
        synchronized (this) {
            current = engine;
        }
        if (current == null) {
            return;
        }
        try {
            current.configure(configuration.toOrder(), principal);
        } catch (RuntimeException e) {
            LOGGER.log(
                    Level.WARNING,
                    "Could not store the promotion environments; they are applied when the store is reachable",
                    e);
            synchronized (this) {
                engine = null;
            }
        }
    }

    /** Tells waiting {@code promote} steps to look at their gates now (after an approval, say) instead of at their next poll. */
    static void nudgeWaitingSteps() {
        PromoteStepExecution.wakeAll();
    }
}
