package io.jenkins.plugins.releaseline.engine.telemetry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The stored aggregates (migration V52): one binary state per failure window with the high-water marks it was
 * folded up to (facts in column {@code event_mark}, failed verifications in {@code verification_mark}; from format
 * 2 on, {@code change_mark} is 0: changes are facts), in parts of at most 1 MiB. Written whole, in one transaction, only forward (a state folded
 * less far than the stored one is not written).
 */
final class Snapshots {

    /** Bumped whenever the encoding changes: a state of another format is ignored and folded again from the ledger. */
    static final int FORMAT = 2;
    static final int PART = 1 << 20;

    private Snapshots() {}

    /** What was stored: the marks and the encoded aggregates. */
    record Stored(long factMark, long verificationMark, byte[] data) {
        long total() {
            return factMark + verificationMark;
        }
    }

    /** The stored state for {@code failureWindowMicros}, or null when there is none of this format. */
    static Stored load(Connection c, long failureWindowMicros) throws SQLException {
        long factMark;
        long verificationMark;
        int parts;
        long bytes;
        try (PreparedStatement q = c.prepareStatement("SELECT format, event_mark, verification_mark, parts, bytes "
                + "FROM release_line_telemetry_aggregate WHERE failure_window_micros = ?")) {
            q.setLong(1, failureWindowMicros);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != FORMAT) {
                    return null;
                }
                factMark = rs.getLong(2);
                verificationMark = rs.getLong(3);
                parts = rs.getInt(4);
                bytes = rs.getLong(5);
            }
        }
        byte[] data = new byte[Math.toIntExact(bytes)];
        int filled = 0;
        int seen = 0;
        try (PreparedStatement q = c.prepareStatement("SELECT part, data FROM release_line_telemetry_aggregate_part "
                + "WHERE failure_window_micros = ? ORDER BY part")) {
            q.setLong(1, failureWindowMicros);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(1) != seen) {
                        return null;
                    }
                    byte[] part = rs.getBytes(2);
                    if (filled + part.length > data.length) {
                        return null;
                    }
                    System.arraycopy(part, 0, data, filled, part.length);
                    filled += part.length;
                    seen++;
                }
            }
        }
        return seen == parts && filled == data.length ? new Stored(factMark, verificationMark, data) : null;
    }

    /**
     * Stores {@code state} unless what is stored was folded as far or further (another controller may have written
     * meanwhile). Returns whether it wrote.
     */
    static boolean store(Connection c, long failureWindowMicros, Stored state, long nowMicros, String controllerId) throws SQLException {
        boolean exists;
        try (PreparedStatement q = c.prepareStatement("SELECT format, event_mark, verification_mark "
                + "FROM release_line_telemetry_aggregate WHERE failure_window_micros = ? FOR UPDATE")) {
            q.setLong(1, failureWindowMicros);
            try (ResultSet rs = q.executeQuery()) {
                exists = rs.next();
                if (exists && rs.getInt(1) == FORMAT && rs.getLong(2) >= state.factMark() && rs.getLong(3) >= state.verificationMark()) {
                    return false;
                }
            }
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM release_line_telemetry_aggregate_part WHERE failure_window_micros = ?")) {
            del.setLong(1, failureWindowMicros);
            del.executeUpdate();
        }
        byte[] data = state.data();
        int parts = 0;
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_telemetry_aggregate_part (failure_window_micros, part, data) "
                + "VALUES (?, ?, ?)")) {
            for (int from = 0; from < data.length || parts == 0; from += PART) {
                ins.setLong(1, failureWindowMicros);
                ins.setInt(2, parts++);
                ins.setBytes(3, Arrays.copyOfRange(data, from, Math.min(data.length, from + PART)));
                ins.addBatch();
            }
            ins.executeBatch();
        }
        String sql = exists
                ? "UPDATE release_line_telemetry_aggregate SET format = ?, event_mark = ?, change_mark = ?, verification_mark = ?, "
                        + "parts = ?, bytes = ?, written_micros = ?, controller_id = ? WHERE failure_window_micros = ?"
                : "INSERT INTO release_line_telemetry_aggregate (format, event_mark, change_mark, verification_mark, parts, bytes, "
                        + "written_micros, controller_id, failure_window_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement up = c.prepareStatement(sql)) {
            up.setInt(1, FORMAT);
            up.setLong(2, state.factMark());
            up.setLong(3, 0);
            up.setLong(4, state.verificationMark());
            up.setInt(5, parts);
            up.setLong(6, data.length);
            up.setLong(7, nowMicros);
            up.setString(8, controllerId);
            up.setLong(9, failureWindowMicros);
            up.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new SQLException("telemetry aggregates stored concurrently", "40001", e);
            }
            throw e;
        }
        return true;
    }

    static DataOutputStream output(ByteArrayOutputStream bytes) {
        return new DataOutputStream(bytes);
    }

    static DataInputStream input(byte[] data) {
        return new DataInputStream(new ByteArrayInputStream(data));
    }
}
