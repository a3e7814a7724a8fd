package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The SQL of canary rollouts and their events; every method runs on the caller's connection. */
final class CanaryStore {

    private static final String COLUMNS = "id, controller_id, router, stable_backend, canary_backend, stable_label, "
            + "canary_label, plan_steps, max_failed, inconclusive_retries, retry_interval_millis, on_inconclusive, "
            + "deadline_millis, state, step_index, failed_analyses, inconclusive_count, router_failures, "
            + "step_started_millis, wake_at_millis, analysis_since_millis, paused_from, pause_expires_millis, reason, "
            + "started_by, created_millis, updated_millis, version";

    private CanaryStore() {}

    static void insert(Connection c, String controllerId, CanaryRollout r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO release_line_canary (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            CanarySpec s = r.spec();
            CanaryPlan p = s.plan();
            ps.setString(1, s.id());
            ps.setString(2, controllerId);
            ps.setString(3, s.router());
            ps.setString(4, s.stableBackend());
            ps.setString(5, s.canaryBackend());
            ps.setString(6, s.stableLabel());
            ps.setString(7, s.canaryLabel());
            ps.setString(8, p.stepsText());
            ps.setInt(9, p.maxFailedAnalyses());
            ps.setInt(10, p.inconclusiveRetries());
            ps.setLong(11, p.retryInterval().toMillis());
            ps.setString(12, p.onInconclusive().name());
            ps.setLong(13, p.analysisDeadline().toMillis());
            setMutable(ps, 14, r);
            ps.setString(25, r.startedBy());
            ps.setLong(26, r.createdAt().toEpochMilli());
            ps.setLong(27, r.updatedAt().toEpochMilli());
            ps.setLong(28, r.version());
            ps.executeUpdate();
        }
    }

    /** Parameters {@code from} .. {@code from + 10}: state through reason. */
    private static void setMutable(PreparedStatement ps, int from, CanaryRollout r) throws SQLException {
        ps.setString(from, r.state().name());
        ps.setInt(from + 1, r.stepIndex());
        ps.setInt(from + 2, r.failedAnalyses());
        ps.setInt(from + 3, r.inconclusive());
        ps.setInt(from + 4, r.routerFailures());
        setInstant(ps, from + 5, r.stepStartedAt());
        setInstant(ps, from + 6, r.wakeAt());
        setInstant(ps, from + 7, r.analysisSince());
        ps.setString(from + 8, r.pausedFrom() == null ? null : r.pausedFrom().name());
        setInstant(ps, from + 9, r.pauseExpiresAt());
        String reason = r.reason() == null ? null : r.reason().length() > Inputs.MAX_REASON
                ? r.reason().substring(0, Inputs.MAX_REASON - 3) + "..." : r.reason();
        ps.setString(from + 10, reason);
    }

    /** Writes {@code next} if the stored version is still {@code next.version() - 1}; false if someone else changed it. */
    static boolean compareAndSet(Connection c, CanaryRollout next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE release_line_canary SET state = ?, step_index = ?, "
                + "failed_analyses = ?, inconclusive_count = ?, router_failures = ?, step_started_millis = ?, "
                + "wake_at_millis = ?, analysis_since_millis = ?, paused_from = ?, pause_expires_millis = ?, reason = ?, "
                + "updated_millis = ?, version = ? WHERE id = ? AND version = ?")) {
            setMutable(ps, 1, next);
            ps.setLong(12, next.updatedAt().toEpochMilli());
            ps.setLong(13, next.version());
            ps.setString(14, next.id());
            ps.setLong(15, next.version() - 1);
            return ps.executeUpdate() == 1;
        }
    }

    static Optional<CanaryRollout> load(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM release_line_canary WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Rollouts on {@code router} that have not ended. */
    static List<CanaryRollout> activeOn(Connection c, String router) throws SQLException {
        List<CanaryRollout> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM release_line_canary WHERE router = ? "
                + "AND state NOT IN ('SUCCEEDED', 'ROLLED_BACK', 'ABORTED')")) {
            ps.setString(1, router);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    /** Rollouts of this controller that have not ended, for re-attaching after a restart. */
    static List<String> unfinished(Connection c, String controllerId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM release_line_canary WHERE controller_id = ? "
                + "AND state NOT IN ('SUCCEEDED', 'ROLLED_BACK', 'ABORTED') ORDER BY created_millis")) {
            ps.setString(1, controllerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Plans as parsed from their stored text (immutable lists); bounded, since plans repeat from one rollout to the next. */
    private static final Map<String, List<CanaryStep>> PLANS = new ConcurrentHashMap<>();

    private static List<CanaryStep> steps(String text) {
        List<CanaryStep> steps = PLANS.get(text);
        if (steps == null) {
            steps = List.copyOf(CanaryPlanParser.parse(text));
            if (PLANS.size() >= 256) {
                PLANS.clear();
            }
            PLANS.put(text, steps);
        }
        return steps;
    }

    private static CanaryRollout read(ResultSet rs) throws SQLException {
        CanaryPlan plan = new CanaryPlan(steps(rs.getString("plan_steps")), rs.getInt("max_failed"),
                rs.getInt("inconclusive_retries"), Duration.ofMillis(rs.getLong("retry_interval_millis")),
                CanaryPlan.OnInconclusive.valueOf(rs.getString("on_inconclusive")),
                Duration.ofMillis(rs.getLong("deadline_millis")));
        CanarySpec spec = new CanarySpec(rs.getString("id"), rs.getString("router"), rs.getString("stable_backend"),
                rs.getString("canary_backend"), rs.getString("stable_label"), rs.getString("canary_label"), plan);
        String pausedFrom = rs.getString("paused_from");
        return new CanaryRollout(spec, CanaryState.valueOf(rs.getString("state")), rs.getInt("step_index"),
                rs.getInt("failed_analyses"), rs.getInt("inconclusive_count"), rs.getInt("router_failures"),
                instant(rs, "step_started_millis"), instant(rs, "wake_at_millis"), instant(rs, "analysis_since_millis"),
                pausedFrom == null ? null : CanaryState.valueOf(pausedFrom), instant(rs, "pause_expires_millis"),
                rs.getString("reason"), rs.getString("started_by"), Instant.ofEpochMilli(rs.getLong("created_millis")),
                Instant.ofEpochMilli(rs.getLong("updated_millis")), rs.getLong("version"));
    }

    static CanaryEvent appendEvent(Connection c, CanaryRollout r, Instant at, CanaryEvent.Kind kind, int weight,
                                   String verdict, Integer score, String principal, String message, String detail)
            throws SQLException {
        return appendEvent(c, r, at, kind, weight, verdict, score, principal, message, detail, false);
    }

    /** {@code rowLocked}: this transaction has written the rollout's row already, and so holds its lock. */
    static CanaryEvent appendEvent(Connection c, CanaryRollout r, Instant at, CanaryEvent.Kind kind, int weight,
                                   String verdict, Integer score, String principal, String message, String detail,
                                   boolean rowLocked) throws SQLException {
        if (!rowLocked) {
            // Takes the rollout's row lock, so that concurrent appends of one rollout number their events in turn.
            try (PreparedStatement lock = c.prepareStatement("UPDATE release_line_canary SET updated_millis = updated_millis WHERE id = ?")) {
                lock.setString(1, r.id());
                lock.executeUpdate();
            }
        }
        int seq;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM release_line_canary_event WHERE rollout_id = ?")) {
            ps.setString(1, r.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getInt(1) + 1;
            }
        }
        String msg = message == null ? null : message.length() > 2000 ? message.substring(0, 1997) + "..." : message;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO release_line_canary_event (rollout_id, seq, at_millis, "
                + "kind, state, step_index, weight, verdict, score, principal, message, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id());
            ps.setInt(2, seq);
            ps.setLong(3, at.toEpochMilli());
            ps.setString(4, kind.name());
            ps.setString(5, r.state().name());
            ps.setInt(6, r.stepIndex());
            ps.setInt(7, weight);
            ps.setString(8, verdict);
            if (score == null) {
                ps.setNull(9, Types.INTEGER);
            } else {
                ps.setInt(9, score);
            }
            ps.setString(10, principal);
            ps.setString(11, msg);
            ps.setString(12, detail);
            ps.executeUpdate();
        }
        return new CanaryEvent(r.id(), seq, at, kind, r.state(), r.stepIndex(), weight, verdict, score, principal, msg, detail);
    }

    static List<CanaryEvent> events(Connection c, String id) throws SQLException {
        List<CanaryEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, at_millis, kind, state, step_index, weight, verdict, "
                + "score, principal, message, detail FROM release_line_canary_event WHERE rollout_id = ? ORDER BY seq")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int score = rs.getInt(8);
                    Integer s = rs.wasNull() ? null : score;
                    out.add(new CanaryEvent(id, rs.getInt(1), Instant.ofEpochMilli(rs.getLong(2)),
                            CanaryEvent.Kind.valueOf(rs.getString(3)), CanaryState.valueOf(rs.getString(4)), rs.getInt(5),
                            rs.getInt(6), rs.getString(7), s, rs.getString(9), rs.getString(10), rs.getString(11)));
                }
            }
        }
        return out;
    }

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, t.toEpochMilli());
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
