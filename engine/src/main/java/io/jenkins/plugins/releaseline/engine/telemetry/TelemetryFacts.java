package io.jenkins.plugins.releaseline.engine.telemetry;

import io.jenkins.plugins.releaseline.engine.promotion.LedgerKind;
import io.jenkins.plugins.releaseline.engine.promotion.LedgerListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes the facts DORA figures are folded from (migration V53): numbers only, in the caller's transaction, so a
 * fact commits with the ledger record or the change it comes from, or not at all. The promotion engine is built with
 * {@link #LEDGER} as its ledger listener, which it calls for every record it appends;
 * {@link DeliveryTelemetry#recordChange} writes the change facts.
 */
public final class TelemetryFacts {

    /** The ledger listener that writes the fact of each outcome: give it to every promotion engine whose ledger is measured. */
    public static final LedgerListener LEDGER = (c, eventId, p, kind, at) -> ledgerRecord(c, eventId, p.id(), p.environment(),
            p.artifact().name(), p.artifact().digest().value(), kind, ChronoUnit.MICROS.between(Instant.EPOCH, at));

    static final int CHANGE = 1;
    static final int DEPLOYED = 2;
    static final int FAILED = 3;
    static final int ROLLED_BACK = 4;
    static final int VERIFIED = 5;
    static final int REFUSED = 6;
    static final int REJECTED = 7;
    static final int CANCELLED = 8;

    static final int ENVIRONMENT_NAME = 1;
    static final int ARTIFACT_NAME = 2;

    private TelemetryFacts() {}

    /** The fact kind of a ledger record, or 0 for the records no figure is folded from (they happen on the way). */
    static int kindOf(LedgerKind kind) {
        return switch (kind) {
            case DEPLOYED -> DEPLOYED;
            case FAILED -> FAILED;
            case ROLLED_BACK -> ROLLED_BACK;
            case VERIFIED -> VERIFIED;
            case REFUSED -> REFUSED;
            case REJECTED -> REJECTED;
            case CANCELLED -> CANCELLED;
            case REQUESTED, APPROVED, STARTED -> 0;
        };
    }

    /** The ledger record of each fact kind, by kind; null for a change (derived from {@link #kindOf}). */
    private static final LedgerKind[] LEDGER_KINDS = new LedgerKind[CANCELLED + 1];

    static {
        for (LedgerKind k : LedgerKind.values()) {
            if (kindOf(k) != 0) {
                LEDGER_KINDS[kindOf(k)] = k;
            }
        }
    }

    /** The ledger record of a fact kind; null for a change. */
    static LedgerKind ledgerKind(int kind) {
        return kind > 0 && kind < LEDGER_KINDS.length ? LEDGER_KINDS[kind] : null;
    }

    /**
     * Records the fact of ledger record {@code eventId} (just appended in this transaction), if it is an outcome:
     * with the times of the promotion's latest request and start before it.
     */
    static void ledgerRecord(Connection c, long eventId, long promotionId, String environment, String artifact, String digest,
                             LedgerKind kind, long atMicros) throws SQLException {
        int code = kindOf(kind);
        if (code == 0) {
            return;
        }
        long requested = Long.MIN_VALUE;
        long started = Long.MIN_VALUE;
        try (PreparedStatement q = c.prepareStatement("SELECT kind, MAX(at_micros) FROM release_line_promotion_event "
                + "WHERE promotion_id = ? AND id < ? AND kind IN ('REQUESTED', 'STARTED') GROUP BY kind")) {
            q.setLong(1, promotionId);
            q.setLong(2, eventId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    if ("REQUESTED".equals(rs.getString(1))) {
                        requested = rs.getLong(2);
                    } else {
                        started = rs.getLong(2);
                    }
                }
            }
        }
        int art = name(c, ARTIFACT_NAME, artifact);
        insert(c, code, name(c, ENVIRONMENT_NAME, environment), art, digest(c, art, digest), promotionId, requested, started, atMicros, false);
    }

    /** Records the fact of a change: its digest, commit time and whether it is a hotfix. */
    static void change(Connection c, String artifact, String digest, long commitMicros, boolean hotfix) throws SQLException {
        int art = name(c, ARTIFACT_NAME, artifact);
        insert(c, CHANGE, 0, art, digest(c, art, digest), Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, commitMicros, hotfix);
    }

    private static void insert(Connection c, int kind, int environment, int artifact, long digest, long promotionId, long requested,
                               long started, long atMicros, boolean hotfix) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_telemetry_fact (kind, environment, artifact, digest, "
                + "promotion_id, requested_micros, started_micros, at_micros, hotfix) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ins.setInt(1, kind);
            setOrNull(ins, 2, environment == 0 ? Long.MIN_VALUE : environment, java.sql.Types.INTEGER);
            ins.setInt(3, artifact);
            ins.setLong(4, digest);
            setOrNull(ins, 5, promotionId, java.sql.Types.BIGINT);
            setOrNull(ins, 6, requested, java.sql.Types.BIGINT);
            setOrNull(ins, 7, started, java.sql.Types.BIGINT);
            ins.setLong(8, atMicros);
            ins.setBoolean(9, hotfix);
            ins.executeUpdate();
        }
    }

    private static void setOrNull(PreparedStatement s, int index, long value, int type) throws SQLException {
        if (value == Long.MIN_VALUE) {
            s.setNull(index, type);
        } else if (type == java.sql.Types.INTEGER) {
            s.setInt(index, Math.toIntExact(value));
        } else {
            s.setLong(index, value);
        }
    }

    /** The number of an environment or artifact name, given one now if it has none. */
    static int name(Connection c, int kind, String name) throws SQLException {
        return Math.toIntExact(numberOf(c, "release_line_telemetry_name", "kind", kind, "name", name, "telemetry name " + name));
    }

    private static long digest(Connection c, int artifact, String digest) throws SQLException {
        return numberOf(c, "release_line_telemetry_digest", "artifact", artifact, "digest", digest, "telemetry digest " + digest);
    }

    /** The id of the row ({@code intColumn}, {@code textColumn}) of {@code table}, inserted now if there is none. */
    private static long numberOf(Connection c, String table, String intColumn, int intValue, String textColumn, String text, String what)
            throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM " + table + " WHERE " + intColumn + " = ? AND " + textColumn + " = ?")) {
            q.setInt(1, intValue);
            q.setString(2, text);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table + " (" + intColumn + ", " + textColumn + ") VALUES (?, ?)",
                new String[] {"id"})) {
            ins.setInt(1, intValue);
            ins.setString(2, text);
            ins.executeUpdate();
            try (ResultSet keys = ins.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw retryOnDuplicate(e, what);
        }
    }

    /** A number taken concurrently by another transaction: the store runs the whole transaction again. */
    private static SQLException retryOnDuplicate(SQLException e, String what) {
        return "23505".equals(e.getSQLState()) ? new SQLException(what + " numbered concurrently", "40001", e) : e;
    }
}
