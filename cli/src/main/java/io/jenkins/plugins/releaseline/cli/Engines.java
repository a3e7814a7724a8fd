package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.andon.AndonFreezeCheck;
import io.jenkins.plugins.releaseline.engine.andon.AndonPermissions;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.telemetry.TelemetryFacts;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import java.time.Clock;

/**
 * The engine's production classes over one store, as the plugin wires them: the freeze board answers the promotion
 * engine's freeze gate ({@link AndonFreezeCheck}) and delivery telemetry listens to its ledger
 * ({@link TelemetryFacts#LEDGER}). Created lazily; closing closes the board's timer and the store.
 */
public final class Engines implements AutoCloseable {

    private final Store store;
    private final Clock clock;
    private final AuditTrail audit;
    private FreezeBoard board;
    private PromotionEngine promotions;
    private CanaryController canaries;
    private BlueGreenController blueGreen;
    private FeatureToggles toggles;

    public Engines(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.audit = new AuditTrail(store, clock);
    }

    public Store store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public AuditTrail audit() {
        return audit;
    }

    /** The board; from a terminal anyone with access to the store may pull and release, nobody may override. */
    public synchronized FreezeBoard board() {
        if (board == null) {
            board = new FreezeBoard(store, audit, clock, AndonPermissions.overrideOnlyBy(java.util.Set.of()));
        }
        return board;
    }

    public synchronized PromotionEngine promotions() {
        if (promotions == null) {
            FreezeBoard freezes = board();
            // a command runs without a change watcher: read the board again before each check
            promotions = new PromotionEngine(store, audit, clock, new AndonFreezeCheck(() -> {
                freezes.reload();
                return freezes;
            }), TelemetryFacts.LEDGER);
        }
        return promotions;
    }

    public synchronized CanaryController canaries() {
        if (canaries == null) {
            canaries = new CanaryController(store, audit, clock);
        }
        return canaries;
    }

    public synchronized BlueGreenController blueGreen() {
        if (blueGreen == null) {
            blueGreen = new BlueGreenController(store, audit, clock);
        }
        return blueGreen;
    }

    public synchronized FeatureToggles toggles() {
        if (toggles == null) {
            toggles = new FeatureToggles(store, audit, clock);
        }
        return toggles;
    }

    @Override
    public synchronized void close() {
        if (board != null) {
            board.close();
        }
        store.close();
    }
}
