package io.jenkins.plugins.releaseline.andon;

import edu.umd.cs.findbugs.annotations.CheckForNull;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.util.Timer;

/**
 * This controller's freeze board, on the store {@link ReleaseLineStore} opened. Changes made by other
 * controllers sharing PostgreSQL arrive through a {@link ChangeWatcher} polling every 500 ms. Whenever the
 * board's snapshot changes (here, elsewhere, because a window opened or closed, or because the store went
 * down or came back), the queue is re-evaluated and waiting {@code andonCheck} steps ask again.
 *
 * <p>The queue and the banner read {@link #current()}: the board held in memory, never the store. The board is
 * opened at start-up on {@link Timer}, and a {@link Timer} task every {@link #MAINTENANCE} opens it when it
 * could not be opened yet (under the store's breaker) and rebuilds it when the store settings changed.
 */
@Extension
public class AndonService {

    private static final Logger LOGGER = Logger.getLogger(AndonService.class.getName());
    static final Duration POLL = Duration.ofMillis(500);
    static final Duration MAINTENANCE = Duration.ofSeconds(2);

    private Store openedOn;
    private volatile FreezeBoard board;
    private ChangeWatcher watcher;
    private ScheduledFuture<?> maintenance;

    @NonNull
    public static AndonService get() {
        return ExtensionList.lookupSingleton(AndonService.class);
    }

    /** The board held in memory, or null if it could not be opened yet; one volatile read, for hot paths. */
    @CheckForNull
    public FreezeBoard current() {
        return board;
    }

    /**
     * The board held in memory; if there is none yet, opens it here (so not for hot paths, which use
     * {@link #current()}).
     *
     * @throws io.jenkins.plugins.releaseline.engine.store.StoreUnavailableException if there is no board yet and
     *     the store cannot be reached
     */
    @NonNull
    public FreezeBoard board() {
        FreezeBoard b = board;
        return b != null ? b : open();
    }

    /** The board for a change: asks the store holder now, so that a change never goes to a store just replaced. */
    @NonNull
    public FreezeBoard freshBoard() {
        return open();
    }

    private synchronized FreezeBoard open() {
        Store store;
        try {
            store = ReleaseLineStore.get().store();
        } catch (RuntimeException e) {
            if (openedOn != null && openedOn != ReleaseLineStore.get().current()) {
                // the settings changed and the old store is closed: its freezes no longer say anything
                close();
            }
            throw e;
        }
        if (board != null && store == openedOn) {
            return board;
        }
        close();
        Clock clock = Clock.systemUTC();
        FreezeBoard b = new FreezeBoard(
                store, new AuditTrail(store, clock), clock, (principal, action) -> AndonPermissions.permits(action));
        try {
            watcher = new ChangeWatcher(store, POLL);
            b.watch(watcher);
            b.addListener(AndonService::snapshotChanged);
            b.configure(
                    io.jenkins.plugins.releaseline.ActingUser.id(),
                    AndonConfiguration.get().toEngine());
        } catch (RuntimeException e) {
            b.close();
            if (watcher != null) {
                watcher.close();
                watcher = null;
            }
            throw e;
        }
        openedOn = store;
        board = b;
        snapshotChanged();
        return b;
    }

    @NonNull
    public AndonApi api() {
        return new AndonApi(freshBoard(), Clock.systemUTC());
    }

    /**
     * On {@link Timer}: opens the board if it could not be opened yet, and follows a change of the store
     * settings. While the store is down this fails at once (the breaker), except for the one attempt per
     * backoff step, which waits at most the engine's connect timeouts.
     */
    void maintain() {
        try {
            freshBoard();
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "The Andon board could not be opened now; tried again in " + MAINTENANCE, e);
        }
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

    private synchronized void startMaintenance() {
        if (maintenance == null) {
            long every = MAINTENANCE.toMillis();
            maintenance = Timer.get().scheduleWithFixedDelay(this::maintain, 0, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Opens the board soon after start-up, on {@link Timer} and not in the initializer, so that a database that
     * does not answer never holds up Jenkins' start. Until it is open the queue runs and the banner says nothing
     * of freezes; steps that need the board say the store is unavailable.
     */
    @Initializer(after = InitMilestone.JOB_CONFIG_ADAPTED)
    public static void openAtStartup() {
        get().startMaintenance();
    }

    @Terminator
    public static void closeOnShutdown() {
        for (AndonService holder : ExtensionList.lookup(AndonService.class)) {
            synchronized (holder) {
                if (holder.maintenance != null) {
                    holder.maintenance.cancel(false);
                    holder.maintenance = null;
                }
            }
            holder.close();
        }
    }
}
