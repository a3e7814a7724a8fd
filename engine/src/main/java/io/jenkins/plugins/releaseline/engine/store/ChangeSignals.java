package io.jenkins.plugins.releaseline.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-topic change counters. A capability that keeps an in-memory snapshot (the freeze board, the toggle
 * set) raises its topic in the transaction that changes it; a {@link ChangeWatcher} on every controller polls
 * the counters and reloads a snapshot whose topic moved.
 */
public final class ChangeSignals {

    private ChangeSignals() {}

    /** Raises {@code topic}'s counter inside the caller's transaction and returns the new value. */
    public static long raise(Connection c, String topic) throws SQLException {
        Inputs.requireName("topic", topic, 100);
        try (PreparedStatement up = c.prepareStatement("UPDATE release_line_change_signal SET version = version + 1 WHERE topic = ?")) {
            up.setString(1, topic);
            if (up.executeUpdate() == 0) {
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_change_signal (topic, version) VALUES (?, 1)")) {
                    ins.setString(1, topic);
                    ins.executeUpdate();
                } catch (SQLException raceLost) {
                    // another transaction inserted the row first: its lock now orders us behind it
                    c.rollback();
                    throw new SQLException("change signal row created concurrently", "40001", raceLost);
                }
            }
        }
        try (PreparedStatement q = c.prepareStatement("SELECT version FROM release_line_change_signal WHERE topic = ?")) {
            q.setString(1, topic);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every topic's current counter. */
    public static Map<String, Long> read(Connection c) throws SQLException {
        Map<String, Long> versions = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT topic, version FROM release_line_change_signal");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                versions.put(rs.getString(1), rs.getLong(2));
            }
        }
        return versions;
    }
}
