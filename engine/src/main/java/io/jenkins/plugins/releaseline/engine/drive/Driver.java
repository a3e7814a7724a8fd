package io.jenkins.plugins.releaseline.engine.drive;

import java.time.Instant;

/**
 * One long-running operation whose state is in the store. Whoever drives it (a Jenkins timer task, the CLI's
 * loop) calls {@link #advance} when the last {@link Next} said to, runs a body when asked and reports its end,
 * and nothing else: every decision is the driver's.
 */
public interface Driver {

    /** The persisted id; a new instance with this id on the same store continues where this one was. */
    String id();

    /**
     * Does one bounded unit of work that is due at {@code now} (every network call has connect and read timeouts)
     * and says what comes next. Safe to call again at any time, also after a crash at any point of a previous call:
     * no side effect is repeated. Throws {@link io.jenkins.plugins.releaseline.engine.store.StoreException} when the
     * store cannot be reached: the state is unchanged, call again later.
     */
    Next advance(Instant now);

    /** The body asked for by {@link Next.RunBody} with this id ended; a second report of the same body is ignored. */
    void bodyFinished(String bodyId, boolean succeeded, String detail);

    /** Asks the operation to stop; the next {@link #advance} winds it down (traffic back to stable, alias back). */
    void requestStop(String reason);
}
