package io.jenkins.plugins.releaseline.engine.drive;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The side effects of a driver, each recorded with an id before it is attempted and again once it is known to
 * have happened. After a crash, an effect found {@link State#BEGUN} but not {@link State#DONE} may or may not
 * have happened: the driver reconciles it with the outside system (reads the router's weights, the alias, the
 * function's versions) instead of doing it again. Rows live in {@code release_line_driver_effect}; every method
 * runs inside the caller's transaction.
 */
public final class EffectJournal {

    /** How far an effect got. */
    public enum State {
        NONE,
        BEGUN,
        DONE
    }

    /** One effect as recorded. */
    public record Effect(String driverId, String effectId, State state, String detail, Instant begunAt, Instant doneAt) {}

    private EffectJournal() {}

    /** Records that {@code effectId} is about to be attempted; a second call for the same id changes nothing. */
    public static void begin(Connection c, String driverId, String effectId, String detail, Instant now) throws SQLException {
        if (find(c, driverId, effectId).isPresent()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO release_line_driver_effect "
                + "(driver_id, effect_id, state, detail, begun_millis, done_millis) VALUES (?, ?, 'BEGUN', ?, ?, NULL)")) {
            ps.setString(1, driverId);
            ps.setString(2, effectId);
            ps.setString(3, truncate(detail, 2000));
            ps.setLong(4, now.toEpochMilli());
            ps.executeUpdate();
        }
    }

    /** Records that {@code effectId} happened (begun first if it was not). */
    public static void done(Connection c, String driverId, String effectId, String detail, Instant now) throws SQLException {
        begin(c, driverId, effectId, detail, now);
        try (PreparedStatement ps = c.prepareStatement("UPDATE release_line_driver_effect SET state = 'DONE', detail = ?, "
                + "done_millis = ? WHERE driver_id = ? AND effect_id = ? AND state = 'BEGUN'")) {
            ps.setString(1, truncate(detail, 2000));
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, driverId);
            ps.setString(4, effectId);
            ps.executeUpdate();
        }
    }

    public static State state(Connection c, String driverId, String effectId) throws SQLException {
        return find(c, driverId, effectId).map(Effect::state).orElse(State.NONE);
    }

    public static Optional<Effect> find(Connection c, String driverId, String effectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state, detail, begun_millis, done_millis FROM "
                + "release_line_driver_effect WHERE driver_id = ? AND effect_id = ?")) {
            ps.setString(1, driverId);
            ps.setString(2, effectId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long done = rs.getLong(4);
                Instant doneAt = rs.wasNull() ? null : Instant.ofEpochMilli(done);
                return Optional.of(new Effect(driverId, effectId, State.valueOf(rs.getString(1)), rs.getString(2),
                        Instant.ofEpochMilli(rs.getLong(3)), doneAt));
            }
        }
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
