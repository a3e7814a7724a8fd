package io.jenkins.plugins.releaseline.engine.promotion;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Told of every ledger record as it is appended, on the connection of the transaction that appends it: what a
 * listener writes there commits with the record or rolls back with it. Delivery telemetry listens this way, so
 * that its facts never disagree with the ledger; promotion knows nothing of who listens.
 */
@FunctionalInterface
public interface LedgerListener {

    /** Nobody listens. */
    LedgerListener NONE = (c, eventId, promotion, kind, at) -> {};

    /**
     * @param c         the connection of the appending transaction; do not commit or close it
     * @param eventId   the id of the ledger record just appended
     * @param promotion the promotion the record belongs to
     * @param kind      what the record says happened
     * @param at        when it was recorded
     */
    void appended(Connection c, long eventId, Promotion promotion, LedgerKind kind, Instant at) throws SQLException;
}
