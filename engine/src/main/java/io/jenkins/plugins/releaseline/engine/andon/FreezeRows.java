package io.jenkins.plugins.releaseline.engine.andon;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The board's SQL; every method runs on the caller's connection, inside the caller's transaction. */
final class FreezeRows {

    static final String EXTEND = "EXTEND";
    static final String OVERRIDE = "OVERRIDE";

    private static final String COLUMNS = "id, scope_job, scope_env, stops, origin, line_job, line_build, pulled_by, "
            + "pulled_at, reason, link, expires_at, released_by, released_at, release_note";

    private FreezeRows() {}

    static long nextId(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT next_id FROM release_line_andon_counter WHERE id = 1 FOR UPDATE");
             ResultSet rs = q.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the andon counter row is missing; the schema was altered by hand");
            }
            long id = rs.getLong(1);
            try (PreparedStatement up = c.prepareStatement("UPDATE release_line_andon_counter SET next_id = ? WHERE id = 1")) {
                up.setLong(1, id + 1);
                up.executeUpdate();
            }
            return id;
        }
    }

    static void insert(Connection c, Freeze f, String controllerId) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_andon_freeze (" + COLUMNS
                + ", controller_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ins.setLong(1, f.id());
            ins.setString(2, f.scope().jobPrefix());
            ins.setString(3, f.scope().environment());
            ins.setString(4, f.stops().name());
            ins.setString(5, f.origin().name());
            ins.setString(6, f.lineJob());
            ins.setString(7, f.lineBuild());
            ins.setString(8, f.pulledBy());
            ins.setLong(9, f.pulledAt().toEpochMilli());
            ins.setString(10, f.reason());
            ins.setString(11, f.link());
            setInstant(ins, 12, f.expiresAt());
            ins.setString(13, null);
            ins.setNull(14, Types.BIGINT);
            ins.setString(15, null);
            ins.setString(16, controllerId);
            ins.executeUpdate();
        }
    }

    static Freeze find(Connection c, long id, boolean lock) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM release_line_andon_freeze WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        }
    }

    /** Freezes not released (some may have expired). */
    static List<Freeze> open(Connection c) throws SQLException {
        return list(c, "SELECT " + COLUMNS + " FROM release_line_andon_freeze WHERE released_at IS NULL ORDER BY id");
    }

    static List<Freeze> recent(Connection c, int limit) throws SQLException {
        return list(c, "SELECT " + COLUMNS + " FROM release_line_andon_freeze ORDER BY id DESC FETCH FIRST "
                + limit + " ROWS ONLY");
    }

    static Freeze openLineFreeze(Connection c, String lineJob) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM release_line_andon_freeze "
                + "WHERE line_job = ? AND released_at IS NULL ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")) {
            q.setString(1, lineJob);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        }
    }

    /** Marks the freeze released if it still is open; returns whether this call did it. */
    static boolean release(Connection c, long id, String by, Instant at, String note) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE release_line_andon_freeze SET released_by = ?, released_at = ?, "
                + "release_note = ? WHERE id = ? AND released_at IS NULL")) {
            up.setString(1, by);
            up.setLong(2, at.toEpochMilli());
            up.setString(3, note);
            up.setLong(4, id);
            return up.executeUpdate() == 1;
        }
    }

    static boolean extend(Connection c, long id, Instant expiresAt) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE release_line_andon_freeze SET expires_at = ? "
                + "WHERE id = ? AND released_at IS NULL")) {
            up.setLong(1, expiresAt.toEpochMilli());
            up.setLong(2, id);
            return up.executeUpdate() == 1;
        }
    }

    static void insertEvent(Connection c, long id, Long freezeId, String window, String kind, String principal,
                            Instant at, String reason, String build, Instant expiresAt) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_andon_event (id, freeze_id, window_name, "
                + "kind, principal, at_millis, reason, build, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ins.setLong(1, id);
            if (freezeId == null) {
                ins.setNull(2, Types.BIGINT);
            } else {
                ins.setLong(2, freezeId);
            }
            ins.setString(3, window);
            ins.setString(4, kind);
            ins.setString(5, principal);
            ins.setLong(6, at.toEpochMilli());
            ins.setString(7, reason);
            ins.setString(8, build);
            setInstant(ins, 9, expiresAt);
            ins.executeUpdate();
        }
    }

    /** Builds let through the open freezes, by freeze. */
    static Map<Long, Set<String>> openOverrides(Connection c) throws SQLException {
        Map<Long, Set<String>> out = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT e.freeze_id, e.build FROM release_line_andon_event e "
                + "JOIN release_line_andon_freeze f ON f.id = e.freeze_id WHERE f.released_at IS NULL AND e.kind = ?")) {
            q.setString(1, OVERRIDE);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    static List<BoardSnapshot.WindowOverride> windowOverridesSince(Connection c, Instant since) throws SQLException {
        List<BoardSnapshot.WindowOverride> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT window_name, build, at_millis FROM release_line_andon_event "
                + "WHERE window_name IS NOT NULL AND kind = ? AND at_millis >= ?")) {
            q.setString(1, OVERRIDE);
            q.setLong(2, since.toEpochMilli());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new BoardSnapshot.WindowOverride(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
                }
            }
        }
        return out;
    }

    /** A freeze's extensions and overrides, oldest first. */
    static List<Timeline.Entry> events(Connection c, Freeze f) throws SQLException {
        List<Timeline.Entry> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT kind, principal, at_millis, reason, build, expires_at "
                + "FROM release_line_andon_event WHERE freeze_id = ? ORDER BY id")) {
            q.setLong(1, f.id());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Instant at = Instant.ofEpochMilli(rs.getLong(3));
                    boolean extend = EXTEND.equals(rs.getString(1));
                    long expires = rs.getLong(6);
                    String text = extend ? "expiry moved to " + Instant.ofEpochMilli(expires)
                            + (rs.getString(4) == null ? "" : ": " + rs.getString(4)) : rs.getString(4);
                    out.add(new Timeline.Entry(at, extend ? Timeline.Kind.EXTENDED : Timeline.Kind.OVERRIDE,
                            rs.getString(2), text, rs.getString(5), 0, java.time.Duration.between(f.pulledAt(), at)));
                }
            }
        }
        return out;
    }

    /** {count, first millis, last millis} of the work a freeze held back. */
    static long[] blocked(Connection c, long freezeId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*), MIN(at_millis), MAX(at_millis) "
                + "FROM release_line_andon_blocked WHERE freeze_id = ?")) {
            q.setLong(1, freezeId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        }
    }

    /** Counts a piece of work once per freeze; returns false if it was counted already. */
    static boolean insertBlocked(Connection c, long freezeId, String workId, Instant at) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_andon_blocked (freeze_id, work_id, at_millis) "
                + "SELECT CAST(? AS BIGINT), CAST(? AS VARCHAR(500)), CAST(? AS BIGINT) FROM release_line_andon_counter "
                + "WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM release_line_andon_blocked WHERE freeze_id = ? AND work_id = ?)")) {
            ins.setLong(1, freezeId);
            ins.setString(2, workId);
            ins.setLong(3, at.toEpochMilli());
            ins.setLong(4, freezeId);
            ins.setString(5, workId);
            return ins.executeUpdate() == 1;
        }
    }

    private static List<Freeze> list(Connection c, String sql) throws SQLException {
        List<Freeze> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    private static Freeze read(ResultSet rs) throws SQLException {
        return new Freeze(rs.getLong(1), new FreezeScope(rs.getString(2), rs.getString(3)), Stops.valueOf(rs.getString(4)),
                Origin.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8),
                Instant.ofEpochMilli(rs.getLong(9)), rs.getString(10), rs.getString(11), instant(rs, 12), rs.getString(13),
                instant(rs, 14), rs.getString(15));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, t.toEpochMilli());
        }
    }
}
