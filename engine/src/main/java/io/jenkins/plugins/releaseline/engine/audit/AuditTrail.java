package io.jenkins.plugins.releaseline.engine.audit;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The append-only record of every state change of the suite. Each record carries the SHA-256 of the one
 * before it; {@link #verify()} walks the chain and names the first record that was edited, inserted or
 * deleted.
 *
 * <p>Capabilities append inside the transaction of the change they record
 * ({@link #append(Connection, String, AuditEvent)}), so that a change and its record commit together or not
 * at all.
 */
public final class AuditTrail {

    private static final String COLUMNS = "seq, recorded_at_micros, controller_id, principal, action, scope, reason, "
            + "state_before, state_after, prev_hash, hash";

    private final Store store;
    private final Clock clock;
    /** With {@link #impersonating}: the person connected, and the name they act in; otherwise both null. */
    private final String connected;
    private final String actingAs;

    public AuditTrail(Store store, Clock clock) {
        this(store, clock, null, null);
    }

    private AuditTrail(Store store, Clock clock, String connected, String actingAs) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.connected = connected;
        this.actingAs = actingAs;
    }

    /**
     * The same trail for a caller where {@code connected} acts in the name of {@code actingAs} (a holder of the
     * impersonation grant using the command line's {@code --as}): every record whose principal is {@code actingAs}
     * is written with the principal {@code "connected as actingAs"}, so that it names both. The principal is an
     * ordinary field of the record, so the hash chain's format is unchanged.
     */
    public AuditTrail impersonating(String connected, String actingAs) {
        String who = Inputs.requirePrincipal(connected);
        String as = Inputs.requirePrincipal(actingAs);
        Inputs.requirePrincipal(impersonation(who, as));
        return new AuditTrail(store, clock, who, as);
    }

    /** The principal recorded when {@code connected} acts as {@code actingAs}. */
    public static String impersonation(String connected, String actingAs) {
        return connected + " as " + actingAs;
    }

    private String recorded(String principal) {
        String who = Inputs.requirePrincipal(principal);
        return actingAs != null && actingAs.equals(who) ? impersonation(connected, actingAs) : who;
    }

    /** Appends in a transaction of its own; the record is durable when this returns. */
    public AuditRecord append(String principal, AuditEvent event) {
        String who = Inputs.requirePrincipal(principal);
        Objects.requireNonNull(event, "event");
        return store.inTransaction(c -> append(c, who, event));
    }

    /**
     * Appends inside the caller's transaction. The chain's head row stays locked until that transaction ends,
     * so keep the transaction short.
     */
    public AuditRecord append(Connection c, String principal, AuditEvent event) throws SQLException {
        String who = recorded(principal);
        Objects.requireNonNull(event, "event");
        long lastSeq;
        String lastHash;
        try (PreparedStatement head = c.prepareStatement(
                "SELECT last_seq, last_hash FROM release_line_audit_head WHERE id = 1 FOR UPDATE");
             ResultSet rs = head.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the audit chain's head row is missing; the schema was altered by hand");
            }
            lastSeq = rs.getLong(1);
            lastHash = rs.getString(2);
        }
        long seq = lastSeq + 1;
        long micros = toMicros(clock.instant());
        String scope = event.scope().toString();
        String hash = ChainHash.of(seq, micros, store.controllerId(), who, event.action(), scope, event.reason(),
                event.before(), event.after(), lastHash);
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_audit (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ins.setLong(1, seq);
            ins.setLong(2, micros);
            ins.setString(3, store.controllerId());
            ins.setString(4, who);
            ins.setString(5, event.action());
            ins.setString(6, scope);
            ins.setString(7, event.reason());
            ins.setString(8, event.before());
            ins.setString(9, event.after());
            ins.setString(10, lastHash);
            ins.setString(11, hash);
            ins.executeUpdate();
        }
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE release_line_audit_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
            up.setLong(1, seq);
            up.setString(2, hash);
            up.executeUpdate();
        }
        return new AuditRecord(seq, fromMicros(micros), store.controllerId(), who, event.action(), scope,
                event.reason(), event.before(), event.after(), lastHash, hash);
    }

    /**
     * Appends several records in one transaction of its own, in order, with one round trip per batch:
     * for imports and bulk changes. All are durable when this returns, or none is written.
     */
    public List<AuditRecord> appendAll(String principal, List<AuditEvent> events) {
        String who = recorded(principal);
        List<AuditEvent> checked = List.copyOf(events);
        if (checked.isEmpty()) {
            return List.of();
        }
        return store.inTransaction(c -> {
            long lastSeq;
            String lastHash;
            try (PreparedStatement head = c.prepareStatement(
                    "SELECT last_seq, last_hash FROM release_line_audit_head WHERE id = 1 FOR UPDATE");
                 ResultSet rs = head.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the audit chain's head row is missing; the schema was altered by hand");
                }
                lastSeq = rs.getLong(1);
                lastHash = rs.getString(2);
            }
            long micros = toMicros(clock.instant());
            List<AuditRecord> written = new ArrayList<>(checked.size());
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_audit (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (AuditEvent event : checked) {
                    long seq = ++lastSeq;
                    String scope = event.scope().toString();
                    String hash = ChainHash.of(seq, micros, store.controllerId(), who, event.action(), scope,
                            event.reason(), event.before(), event.after(), lastHash);
                    ins.setLong(1, seq);
                    ins.setLong(2, micros);
                    ins.setString(3, store.controllerId());
                    ins.setString(4, who);
                    ins.setString(5, event.action());
                    ins.setString(6, scope);
                    ins.setString(7, event.reason());
                    ins.setString(8, event.before());
                    ins.setString(9, event.after());
                    ins.setString(10, lastHash);
                    ins.setString(11, hash);
                    ins.addBatch();
                    written.add(new AuditRecord(seq, fromMicros(micros), store.controllerId(), who, event.action(),
                            scope, event.reason(), event.before(), event.after(), lastHash, hash));
                    lastHash = hash;
                    if (written.size() % 1_000 == 0) {
                        ins.executeBatch();
                    }
                }
                ins.executeBatch();
            }
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE release_line_audit_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
                up.setLong(1, lastSeq);
                up.setString(2, lastHash);
                up.executeUpdate();
            }
            return written;
        });
    }

    /** The newest record about exactly this scope: its latest recorded state. */
    public Optional<AuditRecord> latest(AuditScope scope) {
        Objects.requireNonNull(scope, "scope");
        return store.read(c -> {
            // MAX over the (scope, seq) index, then one primary-key read: no row of the scope's history is
            // fetched but the newest one.
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM release_line_audit WHERE seq = "
                    + "(SELECT MAX(seq) FROM release_line_audit WHERE scope = ?)")) {
                q.setString(1, scope.toString());
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The newest {@code limit} records, newest first, optionally of one scope and what is nested in it. */
    public List<AuditRecord> recent(AuditScope scope, boolean includeNested, int limit) {
        if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit: " + limit + " is outside 1.." + AuditQuery.MAX_LIMIT);
        }
        return store.read(c -> {
            List<Object> params = new ArrayList<>();
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM release_line_audit WHERE 1 = 1");
            appendScope(sql, params, scope, includeNested);
            sql.append(" ORDER BY seq DESC FETCH FIRST ").append(limit).append(" ROWS ONLY");
            return list(c, sql.toString(), params);
        });
    }

    /** Records matching the query, oldest first, one page at a time. */
    public AuditPage query(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        return store.read(c -> {
            List<Object> params = new ArrayList<>();
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM release_line_audit WHERE seq > ?");
            params.add(query.afterSeq());
            if (query.from() != null) {
                sql.append(" AND recorded_at_micros >= ?");
                params.add(toMicros(query.from()));
            }
            if (query.to() != null) {
                sql.append(" AND recorded_at_micros < ?");
                params.add(toMicros(query.to()));
            }
            appendScope(sql, params, query.scope(), query.includeNested());
            sql.append(" ORDER BY seq FETCH FIRST ").append(query.limit() + 1).append(" ROWS ONLY");
            List<AuditRecord> rows = list(c, sql.toString(), params);
            if (rows.size() > query.limit()) {
                List<AuditRecord> page = rows.subList(0, query.limit());
                return new AuditPage(page, OptionalLong.of(page.get(page.size() - 1).seq()));
            }
            return new AuditPage(rows, OptionalLong.empty());
        });
    }

    /** How many records the chain holds. */
    public long size() {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT last_seq FROM release_line_audit_head WHERE id = 1");
                 ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /**
     * Walks the whole chain in order and checks each record's hash, its link to the one before, that no
     * sequence number is missing, and that the chain ends where its head says. Reports the first bad record.
     */
    public VerificationReport verify() {
        return store.read(c -> {
            long headSeq;
            String headHash;
            try (PreparedStatement q = c.prepareStatement("SELECT last_seq, last_hash FROM release_line_audit_head WHERE id = 1");
                 ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return VerificationReport.broken(0, 1, "the chain's head row is missing");
                }
                headSeq = rs.getLong(1);
                headHash = rs.getString(2);
            }
            long expectedSeq = 1;
            String previousHash = ChainHash.GENESIS;
            long checked = 0;
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM release_line_audit WHERE seq <= ? ORDER BY seq")) {
                q.setFetchSize(2_000);
                q.setLong(1, headSeq);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        AuditRecord r = read(rs);
                        if (r.seq() != expectedSeq) {
                            return VerificationReport.broken(checked, expectedSeq, "record " + expectedSeq
                                    + " is missing (deleted?); the next one present is " + r.seq());
                        }
                        if (!r.previousHash().equals(previousHash)) {
                            return VerificationReport.broken(checked, r.seq(), "record " + r.seq()
                                    + " does not link to record " + (r.seq() - 1) + " (inserted, replaced or reordered?)");
                        }
                        if (!r.expectedHash().equals(r.hash())) {
                            return VerificationReport.broken(checked, r.seq(), "record " + r.seq()
                                    + "'s contents do not match its hash (edited?)");
                        }
                        previousHash = r.hash();
                        expectedSeq++;
                        checked++;
                    }
                }
            }
            if (checked != headSeq) {
                return VerificationReport.broken(checked, checked + 1, "records " + (checked + 1) + " to " + headSeq
                        + " are missing (deleted from the end?)");
            }
            if (!previousHash.equals(headHash)) {
                return VerificationReport.broken(checked, headSeq, "the chain's head does not match record " + headSeq);
            }
            try (PreparedStatement q = c.prepareStatement("SELECT MIN(seq) FROM release_line_audit WHERE seq > ?")) {
                q.setLong(1, headSeq);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next() && rs.getObject(1) != null) {
                        long extra = rs.getLong(1);
                        return VerificationReport.broken(checked, extra, "record " + extra
                                + " lies beyond the chain's head (inserted?)");
                    }
                }
            }
            return VerificationReport.ok(checked);
        });
    }

    private static void appendScope(StringBuilder sql, List<Object> params, AuditScope scope, boolean nested) {
        if (scope == null) {
            return;
        }
        if (nested) {
            sql.append(" AND (scope = ? OR scope LIKE ? ESCAPE '!')");
            params.add(scope.toString());
            params.add(escapeLike(scope.toString()) + "/%");
        } else {
            sql.append(" AND scope = ?");
            params.add(scope.toString());
        }
    }

    static String escapeLike(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static List<AuditRecord> list(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                q.setObject(i + 1, params.get(i));
            }
            List<AuditRecord> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    private static AuditRecord read(ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getLong(1), fromMicros(rs.getLong(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11));
    }

    static long toMicros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
