package io.jenkins.plugins.releaseline.engine.drive;

import java.time.Instant;

/**
 * A long-running operation as seen by whoever drives it (a Jenkins timer task, a build's executor thread, the CLI's
 * loop): persisted state advanced one bounded unit of work at a time. Every method may throw the store's
 * {@code StoreException} when the database cannot be reached; that is not a failure of the operation, the caller
 * tries again later.
 */
public interface Driver {

    /** The persisted driver's id (its {@link DriverRecords} row). */
    String id();

    /** Does one bounded unit of work and says what is due next. Idempotent: safe to call again at any time. */
    Next advance(Instant now);

    /**
     * Reports the end of the body {@code bodyId} that a {@link Next.RunBody} asked for. A second report for the same
     * body, or a report for a body the driver no longer waits for, changes nothing.
     */
    void bodyFinished(String bodyId, boolean succeeded, String detail);

    /** Asks the operation to stop; the next {@link #advance} acts on it (the first reason wins). */
    void requestStop(String reason);
}
