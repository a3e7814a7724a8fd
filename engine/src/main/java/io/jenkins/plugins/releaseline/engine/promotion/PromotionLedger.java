package io.jenkins.plugins.releaseline.engine.promotion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL behind the promotion ledger; every method runs on the caller's connection (and transaction). */
final class PromotionLedger {

    private static final String P_COLUMNS = "id, environment, artifact, version, digest, branch, job_path, build_link, "
            + "requested_by, requested_micros, status, status_micros, deployed_micros, rollback, controller_id, comment";
    private static final String E_COLUMNS = "id, promotion_id, environment, artifact, version, digest, kind, principal, "
            + "at_micros, build_link, comment, verdicts";
    private static final String C_COLUMNS = "environment, artifact, version, digest, promotion_id, since_micros, "
            + "deployed_by, build_link, job_path, rollback";
    /** Statuses of a deployment that ran to its end, whatever the outcome. */
    private static final String FINISHED = "('DEPLOYED', 'VERIFIED', 'FAILED', 'ROLLED_BACK')";
    private static final String UNIQUE_VIOLATION = "23505";

    private PromotionLedger() {}

    // ---- promotions

    static Promotion insert(Connection c, PromotionRequest r, boolean rollback, String comment, Instant now, String controllerId)
            throws SQLException {
        long micros = micros(now);
        long id;
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_promotion (environment, artifact, version, digest, "
                + "branch, job_path, build_link, requested_by, requested_micros, status, status_micros, deployed_micros, rollback, "
                + "controller_id, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
            ins.setString(1, r.environment());
            ins.setString(2, r.artifact().name());
            ins.setString(3, r.artifact().version());
            ins.setString(4, r.artifact().digest().value());
            ins.setString(5, r.branch());
            ins.setString(6, r.jobPath());
            ins.setString(7, r.buildLink());
            ins.setString(8, r.requestedBy());
            ins.setLong(9, micros);
            ins.setString(10, PromotionStatus.REQUESTED.name());
            ins.setLong(11, micros);
            ins.setNull(12, Types.BIGINT);
            ins.setBoolean(13, rollback);
            ins.setString(14, controllerId);
            ins.setString(15, comment);
            ins.executeUpdate();
            try (ResultSet keys = ins.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        return new Promotion(id, r.environment(), r.artifact(), r.branch(), r.jobPath(), r.buildLink(), r.requestedBy(), now,
                PromotionStatus.REQUESTED, now, null, rollback, controllerId, comment);
    }

    static Optional<Promotion> promotion(Connection c, long id, boolean forUpdate) throws SQLException {
        return one(c, "SELECT " + P_COLUMNS + " FROM release_line_promotion WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""), id);
    }

    static void setStatus(Connection c, long id, PromotionStatus status, Instant now, Instant deployedAt, String comment)
            throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE release_line_promotion SET status = ?, status_micros = ?, "
                + "deployed_micros = COALESCE(?, deployed_micros), comment = COALESCE(?, comment) WHERE id = ?")) {
            up.setString(1, status.name());
            up.setLong(2, micros(now));
            if (deployedAt == null) {
                up.setNull(3, Types.BIGINT);
            } else {
                up.setLong(3, micros(deployedAt));
            }
            up.setString(4, comment);
            up.setLong(5, id);
            up.executeUpdate();
        }
    }

    /** The latest deployment of this digest in {@code environment} that ran to its end. */
    static Optional<Promotion> latestFinished(Connection c, String environment, Artifact a) throws SQLException {
        return one(c, "SELECT " + P_COLUMNS + " FROM release_line_promotion WHERE environment = ? AND artifact = ? AND digest = ? "
                + "AND status IN " + FINISHED + " ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", environment, a.name(), a.digest().value());
    }

    /** The latest deployment of the same version with another digest in {@code environment}. */
    static Optional<Promotion> sameVersionOtherDigest(Connection c, String environment, Artifact a) throws SQLException {
        return one(c, "SELECT " + P_COLUMNS + " FROM release_line_promotion WHERE environment = ? AND artifact = ? AND version = ? "
                + "AND digest <> ? AND status IN " + FINISHED + " ORDER BY id DESC FETCH FIRST 1 ROWS ONLY",
                environment, a.name(), a.version(), a.digest().value());
    }

    /** The newest green deployment of {@code artifact} in {@code environment} before {@code beforeId} with another digest. */
    static Optional<Promotion> previousGood(Connection c, String environment, String artifact, String otherThanDigest, long beforeId)
            throws SQLException {
        return one(c, "SELECT " + P_COLUMNS + " FROM release_line_promotion WHERE environment = ? AND artifact = ? AND digest <> ? "
                + "AND id < ? AND status IN ('DEPLOYED', 'VERIFIED') ORDER BY id DESC FETCH FIRST 1 ROWS ONLY",
                environment, artifact, otherThanDigest, beforeId);
    }

    static List<Promotion> withStatus(Connection c, PromotionStatus status, int limit) throws SQLException {
        return list(c, "SELECT " + P_COLUMNS + " FROM release_line_promotion WHERE status = ? ORDER BY id FETCH FIRST "
                + limit + " ROWS ONLY", status.name());
    }

    static List<Promotion> ofDigest(Connection c, String digest, int limit) throws SQLException {
        return list(c, "SELECT " + P_COLUMNS + " FROM release_line_promotion WHERE digest = ? ORDER BY id DESC FETCH FIRST "
                + limit + " ROWS ONLY", digest);
    }

    /** Green deployments in {@code from} whose digest never went green in {@code to}, newest first. */
    static List<Promotion> notYetIn(Connection c, String from, String to, int limit) throws SQLException {
        return list(c, "SELECT " + P_COLUMNS + " FROM release_line_promotion p WHERE p.environment = ? AND p.status IN ('DEPLOYED', 'VERIFIED') "
                + "AND NOT EXISTS (SELECT 1 FROM release_line_promotion q WHERE q.environment = ? AND q.artifact = p.artifact "
                + "AND q.digest = p.digest AND q.status IN " + FINISHED + ") ORDER BY p.id DESC FETCH FIRST " + limit + " ROWS ONLY", from, to);
    }

    // ---- lineage

    /** Records when a digest first entered the line; a digest seen before keeps its place. */
    static void recordLineage(Connection c, Artifact a, long promotionId, Instant now) throws SQLException {
        if (ordinal(c, a.name(), a.digest().value()).isPresent()) {
            return;
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_artifact_lineage (artifact, digest, version, ordinal, "
                + "first_micros) VALUES (?, ?, ?, ?, ?)")) {
            ins.setString(1, a.name());
            ins.setString(2, a.digest().value());
            ins.setString(3, a.version());
            ins.setLong(4, promotionId);
            ins.setLong(5, micros(now));
            ins.executeUpdate();
        } catch (SQLException e) {
            throw retryOnDuplicate(e, "artifact lineage row created concurrently");
        }
    }

    static Optional<Long> ordinal(Connection c, String artifact, String digest) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT ordinal FROM release_line_artifact_lineage WHERE artifact = ? AND digest = ?")) {
            q.setString(1, artifact);
            q.setString(2, digest);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    // ---- ledger events

    static long appendEvent(Connection c, LedgerListener listener, Promotion p, LedgerKind kind, String principal, Instant now,
                            String comment, String verdictsJson) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_promotion_event (promotion_id, environment, artifact, "
                + "version, digest, kind, principal, at_micros, build_link, comment, verdicts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                new String[] {"id"})) {
            ins.setLong(1, p.id());
            ins.setString(2, p.environment());
            ins.setString(3, p.artifact().name());
            ins.setString(4, p.artifact().version());
            ins.setString(5, p.artifact().digest().value());
            ins.setString(6, kind.name());
            ins.setString(7, principal);
            ins.setLong(8, micros(now));
            ins.setString(9, p.buildLink());
            ins.setString(10, comment);
            ins.setString(11, verdictsJson);
            ins.executeUpdate();
            long id;
            try (ResultSet keys = ins.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
            // what listeners write (the facts of the DORA figures) commits with the record
            listener.appended(c, id, p, kind, now);
            return id;
        }
    }

    static List<LedgerEntry> events(Connection c, String where, int limit, Object... params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + E_COLUMNS + " FROM release_line_promotion_event WHERE " + where
                + " ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY")) {
            bind(q, params);
            List<LedgerEntry> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new LedgerEntry(rs.getLong(1), rs.getLong(2), rs.getString(3),
                            new Artifact(rs.getString(4), rs.getString(5), new Digest(rs.getString(6))),
                            LedgerKind.valueOf(rs.getString(7)), rs.getString(8), instant(rs.getLong(9)), rs.getString(10),
                            rs.getString(11), PromotionJson.verdicts(rs.getString(12))));
                }
            }
            return out;
        }
    }

    // ---- approvals

    static List<Approval> approvals(Connection c, long promotionId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT promotion_id, approver, approved_micros, comment FROM "
                + "release_line_promotion_approval WHERE promotion_id = ? ORDER BY approved_micros, approver")) {
            q.setLong(1, promotionId);
            List<Approval> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Approval(rs.getLong(1), rs.getString(2), instant(rs.getLong(3)), rs.getString(4)));
                }
            }
            return out;
        }
    }

    static void insertApproval(Connection c, long promotionId, String approver, Instant now, String comment) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_promotion_approval (promotion_id, approver, "
                + "approved_micros, comment) VALUES (?, ?, ?, ?)")) {
            ins.setLong(1, promotionId);
            ins.setString(2, approver);
            ins.setLong(3, micros(now));
            ins.setString(4, comment);
            ins.executeUpdate();
        } catch (SQLException e) {
            throw retryOnDuplicate(e, "the same approval was recorded concurrently");
        }
    }

    // ---- deploy lock and queue

    /** Locks the environment's lock row for the rest of the transaction, creating it the first time. */
    static Optional<Long> lockRowForUpdate(Connection c, String environment) throws SQLException {
        for (int i = 0; i < 2; i++) {
            try (PreparedStatement q = c.prepareStatement("SELECT promotion_id FROM release_line_deploy_lock WHERE environment = ? FOR UPDATE")) {
                q.setString(1, environment);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        long id = rs.getLong(1);
                        return rs.wasNull() ? Optional.empty() : Optional.of(id);
                    }
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_deploy_lock (environment, promotion_id, acquired_micros) "
                    + "VALUES (?, NULL, NULL)")) {
                ins.setString(1, environment);
                ins.executeUpdate();
            } catch (SQLException e) {
                throw retryOnDuplicate(e, "deploy lock row created concurrently");
            }
        }
        throw new SQLException("the deploy lock row of " + environment + " vanished while it was being taken", "40001");
    }

    static Optional<LockHolder> lockHolder(Connection c, String environment) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT l.promotion_id, l.acquired_micros, p.artifact, p.version, p.digest, "
                + "p.job_path, p.build_link, p.controller_id FROM release_line_deploy_lock l JOIN release_line_promotion p "
                + "ON p.id = l.promotion_id WHERE l.environment = ?")) {
            q.setString(1, environment);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LockHolder(environment, rs.getLong(1),
                        new Artifact(rs.getString(3), rs.getString(4), new Digest(rs.getString(5))), rs.getString(6),
                        rs.getString(7), rs.getString(8), instant(rs.getLong(2))));
            }
        }
    }

    static List<LockHolder> lockHolders(Connection c) throws SQLException {
        List<String> envs = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT environment FROM release_line_deploy_lock WHERE promotion_id IS NOT NULL ORDER BY environment");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                envs.add(rs.getString(1));
            }
        }
        List<LockHolder> out = new ArrayList<>();
        for (String env : envs) {
            lockHolder(c, env).ifPresent(out::add);
        }
        return out;
    }

    static void setLock(Connection c, String environment, Long promotionId, Instant now) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE release_line_deploy_lock SET promotion_id = ?, acquired_micros = ? WHERE environment = ?")) {
            if (promotionId == null) {
                up.setNull(1, Types.BIGINT);
                up.setNull(2, Types.BIGINT);
            } else {
                up.setLong(1, promotionId);
                up.setLong(2, micros(now));
            }
            up.setString(3, environment);
            up.executeUpdate();
        }
    }

    /** Waiting promotions older than {@code promotionId} whose heartbeat is fresh. */
    static int queuedAhead(Connection c, String environment, long promotionId, Instant freshSince) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM release_line_deploy_queue WHERE environment = ? "
                + "AND promotion_id < ? AND heartbeat_micros >= ?")) {
            q.setString(1, environment);
            q.setLong(2, promotionId);
            q.setLong(3, micros(freshSince));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static List<Long> queue(Connection c, String environment, Instant freshSince) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT promotion_id FROM release_line_deploy_queue WHERE environment = ? "
                + "AND heartbeat_micros >= ? ORDER BY promotion_id")) {
            q.setString(1, environment);
            q.setLong(2, micros(freshSince));
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }

    /** Joins the queue, or refreshes the heartbeat; returns whether this was a new entry. */
    static boolean enqueue(Connection c, String environment, long promotionId, Instant now) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE release_line_deploy_queue SET heartbeat_micros = ? WHERE promotion_id = ?")) {
            up.setLong(1, micros(now));
            up.setLong(2, promotionId);
            if (up.executeUpdate() > 0) {
                return false;
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_deploy_queue (promotion_id, environment, enqueued_micros, "
                + "heartbeat_micros) VALUES (?, ?, ?, ?)")) {
            ins.setLong(1, promotionId);
            ins.setString(2, environment);
            ins.setLong(3, micros(now));
            ins.setLong(4, micros(now));
            ins.executeUpdate();
            return true;
        } catch (SQLException e) {
            throw retryOnDuplicate(e, "queue entry created concurrently");
        }
    }

    static void dequeue(Connection c, long promotionId) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM release_line_deploy_queue WHERE promotion_id = ?")) {
            del.setLong(1, promotionId);
            del.executeUpdate();
        }
    }

    // ---- what runs where

    static Optional<Deployment> current(Connection c, String environment, String artifact) throws SQLException {
        List<Deployment> l = currentList(c, "environment = ? AND artifact = ?", environment, artifact);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    static List<Deployment> currentList(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + C_COLUMNS + " FROM release_line_deployment_current"
                + (where == null ? "" : " WHERE " + where) + " ORDER BY environment, artifact")) {
            bind(q, params);
            List<Deployment> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Deployment(rs.getString(1), new Artifact(rs.getString(2), rs.getString(3), new Digest(rs.getString(4))),
                            rs.getLong(5), instant(rs.getLong(6)), rs.getString(7), rs.getString(8), rs.getString(9), rs.getBoolean(10)));
                }
            }
            return out;
        }
    }

    static void putCurrent(Connection c, Deployment d) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE release_line_deployment_current SET version = ?, digest = ?, promotion_id = ?, "
                + "since_micros = ?, deployed_by = ?, build_link = ?, job_path = ?, rollback = ? WHERE environment = ? AND artifact = ?")) {
            up.setString(1, d.artifact().version());
            up.setString(2, d.artifact().digest().value());
            up.setLong(3, d.promotionId());
            up.setLong(4, micros(d.since()));
            up.setString(5, d.by());
            up.setString(6, d.buildLink());
            up.setString(7, d.jobPath());
            up.setBoolean(8, d.rollback());
            up.setString(9, d.environment());
            up.setString(10, d.artifact().name());
            if (up.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_deployment_current (" + C_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ins.setString(1, d.environment());
            ins.setString(2, d.artifact().name());
            ins.setString(3, d.artifact().version());
            ins.setString(4, d.artifact().digest().value());
            ins.setLong(5, d.promotionId());
            ins.setLong(6, micros(d.since()));
            ins.setString(7, d.by());
            ins.setString(8, d.buildLink());
            ins.setString(9, d.jobPath());
            ins.setBoolean(10, d.rollback());
            ins.executeUpdate();
        } catch (SQLException e) {
            throw retryOnDuplicate(e, "current deployment row created concurrently");
        }
    }

    /** The change counter of {@code topic}; 0 before it was first raised. */
    static long signal(Connection c, String topic) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT version FROM release_line_change_signal WHERE topic = ?")) {
            q.setString(1, topic);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }
    }

    // ---- configuration

    static Optional<String> config(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT environments FROM release_line_promotion_config WHERE id = 1");
             ResultSet rs = q.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    static Optional<String> configForUpdate(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT environments FROM release_line_promotion_config WHERE id = 1 FOR UPDATE");
             ResultSet rs = q.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    static void putConfig(Connection c, String json, Instant now, String by) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE release_line_promotion_config SET environments = ?, updated_micros = ?, "
                + "updated_by = ? WHERE id = 1")) {
            up.setString(1, json);
            up.setLong(2, micros(now));
            up.setString(3, by);
            if (up.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_promotion_config (id, environments, updated_micros, updated_by) "
                + "VALUES (1, ?, ?, ?)")) {
            ins.setString(1, json);
            ins.setLong(2, micros(now));
            ins.setString(3, by);
            ins.executeUpdate();
        } catch (SQLException e) {
            throw retryOnDuplicate(e, "promotion configuration row created concurrently");
        }
    }

    // ---- helpers

    private static Optional<Promotion> one(Connection c, String sql, Object... params) throws SQLException {
        List<Promotion> l = list(c, sql, params);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private static List<Promotion> list(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            bind(q, params);
            List<Promotion> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(readPromotion(rs));
                }
            }
            return out;
        }
    }

    private static Promotion readPromotion(ResultSet rs) throws SQLException {
        long deployed = rs.getLong(13);
        Instant deployedAt = rs.wasNull() ? null : instant(deployed);
        return new Promotion(rs.getLong(1), rs.getString(2), new Artifact(rs.getString(3), rs.getString(4), new Digest(rs.getString(5))),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), instant(rs.getLong(10)),
                PromotionStatus.valueOf(rs.getString(11)), instant(rs.getLong(12)), deployedAt, rs.getBoolean(14), rs.getString(15),
                rs.getString(16));
    }

    private static void bind(PreparedStatement q, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            q.setObject(i + 1, params[i]);
        }
    }

    /**
     * Two transactions inserted the same key: turn the unique violation into a serialization failure, which
     * the store retries; the retry sees the row the winner committed.
     */
    private static SQLException retryOnDuplicate(SQLException e, String what) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
            return new SQLException(what, "40001", e);
        }
        return e;
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
