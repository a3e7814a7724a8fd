package io.jenkins.plugins.releaseline.engine.drive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The persisted state of one driver: its kind, its phase, a JSON document of the driver's own fields, a version
 * for optimistic updates, and a stop request that any process may set. Rows live in {@code release_line_driver};
 * every method runs inside the caller's transaction.
 */
public final class DriverRecords {

    /** The largest state document, in characters. */
    public static final int MAX_DOCUMENT = 100_000;

    private static final ObjectMapper JSON = new ObjectMapper()
            .findAndRegisterModules();

    /** One driver's row. {@code stopReason} is set once someone asked the operation to stop. */
    public record Row(String id, String kind, String controllerId, String phase, String document, long version,
                      String stopReason, Instant createdAt, Instant updatedAt) {

        public <T> T document(Class<T> type) {
            return DriverRecords.read(document, type);
        }
    }

    private DriverRecords() {}

    public static Optional<Row> load(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT kind, controller_id, phase, document, version, stop_reason, "
                + "created_millis, updated_millis FROM release_line_driver WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8))));
            }
        }
    }

    /** Same as {@link #load} but locks the row until the transaction ends. */
    public static Optional<Row> lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM release_line_driver WHERE id = ? FOR UPDATE")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
            }
        }
        return load(c, id);
    }

    /** Inserts a new driver; false when one with this id exists already (a retried start). */
    public static boolean insert(Connection c, String id, String kind, String controllerId, String phase, Object document,
                                 Instant now) throws SQLException {
        if (load(c, id).isPresent()) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO release_line_driver (id, kind, controller_id, phase, "
                + "document, version, stop_reason, created_millis, updated_millis) VALUES (?, ?, ?, ?, ?, 1, NULL, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, kind);
            ps.setString(3, controllerId);
            ps.setString(4, phase);
            ps.setString(5, write(document));
            ps.setLong(6, now.toEpochMilli());
            ps.setLong(7, now.toEpochMilli());
            ps.executeUpdate();
        }
        return true;
    }

    /**
     * Writes the phase and document if the row is still at {@code expectedVersion}; false when another process
     * changed it first (the caller reloads and decides again).
     */
    public static boolean update(Connection c, String id, long expectedVersion, String phase, Object document, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE release_line_driver SET phase = ?, document = ?, "
                + "version = version + 1, updated_millis = ? WHERE id = ? AND version = ?")) {
            ps.setString(1, phase);
            ps.setString(2, write(document));
            ps.setLong(3, now.toEpochMilli());
            ps.setString(4, id);
            ps.setLong(5, expectedVersion);
            return ps.executeUpdate() == 1;
        }
    }

    /** Records a stop request (the first reason wins); the driver acts on it at its next {@code advance}. */
    public static boolean requestStop(Connection c, String id, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE release_line_driver SET stop_reason = ?, version = version + 1, "
                + "updated_millis = ? WHERE id = ? AND stop_reason IS NULL")) {
            ps.setString(1, EffectJournal.truncate(reason == null || reason.isBlank() ? "stopped" : reason, 2000));
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, id);
            return ps.executeUpdate() == 1;
        }
    }

    static String write(Object document) {
        try {
            String s = JSON.writeValueAsString(document);
            if (s.length() > MAX_DOCUMENT) {
                throw new IllegalArgumentException("driver state: " + s.length() + " characters is over the limit of " + MAX_DOCUMENT);
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("driver state: could not be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static <T> T read(String document, Class<T> type) {
        try {
            return JSON.readValue(document, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("driver state: the stored document is not a " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
