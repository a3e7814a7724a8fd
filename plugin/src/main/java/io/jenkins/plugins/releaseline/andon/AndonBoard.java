package io.jenkins.plugins.releaseline.andon;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.init.Terminator;
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.andon.AndonApi;
import io.jenkins.plugins.releaseline.engine.andon.FreezeBoard;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.ChangeWatcher;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * This controller's freeze board, on the store {@link ReleaseLineStore} opened. Rebuilt when the store is
 * reopened with other settings. Changes made by other controllers sharing PostgreSQL arrive through a
 * {@link ChangeWatcher} polling every 500 ms. Whenever the board's snapshot changes (here, elsewhere, or
 * because a window opened or closed), the queue is re-evaluated and waiting {@code andonCheck} steps ask again.
 */
@Extension
public class AndonBoard {

    private static final Logger LOGGER = Logger.getLogger(AndonBoard.class.getName());
    static final Duration POLL = Duration.ofMillis(500);

    /** How long the open board is used before asking the store holder whether its settings changed. */
    private static final long STORE_RECHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private Store openedOn;
    private volatile FreezeBoard board;
    private volatile long checkedAt;
    private ChangeWatcher watcher;

    @NonNull
    public static AndonBoard get() {
        return ExtensionList.lookupSingleton(AndonBoard.class);
    }

    /**
     * The board, opened (or reopened after a store change) with the current Andon configuration. On the
     * queue's hot path this is one volatile read: whether the store settings changed (which looks up
     * credentials) is asked at most every 10 seconds.
     */
    @NonNull
    public FreezeBoard board() {
        FreezeBoard b = board;
        if (b != null && System.nanoTime() - checkedAt < STORE_RECHECK_NANOS) {
            return b;
        }
        return open();
    }

    /** The board for a change: asks the store holder now, so that a change never goes to a store just replaced. */
    @NonNull
    public FreezeBoard freshBoard() {
        return open();
    }

    private synchronized FreezeBoard open() {
        Store store = ReleaseLineStore.get().store();
        if (board != null && store == openedOn) {
            checkedAt = System.nanoTime();
            return board;
        }
        close();
        Clock clock = Clock.systemUTC();
        FreezeBoard b = new FreezeBoard(
                store, new AuditTrail(store, clock), clock, (principal, action) -> AndonPermissions.permits(action));
        watcher = new ChangeWatcher(store, POLL);
        b.watch(watcher);
        b.addListener(AndonBoard::snapshotChanged);
        b.configure(
                io.jenkins.plugins.releaseline.ActingUser.id(),
                AndonConfiguration.get().toEngine());
        openedOn = store;
        checkedAt = System.nanoTime();
        board = b;
        return b;
    }

    @NonNull
    public AndonApi api() {
        return new AndonApi(freshBoard(), Clock.systemUTC());
    }

    private static void snapshotChanged() {
        Jenkins j = Jenkins.getInstanceOrNull();
        if (j != null) {
            j.getQueue().scheduleMaintenance();
        }
        AndonCheckStep.Execution.recheckAll();
    }

    synchronized void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (board != null) {
            try {
                board.close();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "Could not close the Andon board cleanly", e);
            }
        }
        board = null;
        watcher = null;
        openedOn = null;
    }

    /** Opens the board at start-up, so that the banner, the queue and resumed steps do not wait for it. */
    @Initializer(after = InitMilestone.JOB_CONFIG_ADAPTED)
    public static void openAtStartup() {
        try {
            get().board();
        } catch (RuntimeException e) {
            LOGGER.log(
                    Level.WARNING,
                    "The Andon board could not be opened at start-up; it is tried again on first use",
                    e);
        }
    }

    @Terminator
    public static void closeOnShutdown() {
        for (AndonBoard holder : ExtensionList.lookup(AndonBoard.class)) {
            holder.close();
        }
    }
}
