package io.jenkins.plugins.releaseline.engine.telemetry;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The numbers the facts use (migration V53) for environment and artifact names, and what is known of each digest
 * number's change (commit time, hotfix). Digest numbers are the store's identity values: dense, so arrays.
 */
final class Catalog {

    private final Map<Integer, String> names = new HashMap<>();
    private final Map<Integer, Integer> kinds = new HashMap<>();
    private final Map<String, Integer> artifacts = new HashMap<>();
    private long[] commitMicros = new long[0];
    private boolean[] hotfix = new boolean[0];

    /** Reads the names numbered since {@code after}; returns the highest number read. */
    int readNames(Connection c, int after) throws SQLException {
        int last = after;
        try (PreparedStatement q = c.prepareStatement("SELECT id, kind, name FROM release_line_telemetry_name WHERE id > ? ORDER BY id")) {
            q.setInt(1, after);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    last = rs.getInt(1);
                    name(last, rs.getInt(2), rs.getString(3));
                }
            }
        }
        return last;
    }

    /** The name of number {@code id}, read from the store if this catalog does not know it yet. */
    String name(Connection c, int id) throws SQLException {
        String name = names.get(id);
        if (name == null) {
            try (PreparedStatement q = c.prepareStatement("SELECT kind, name FROM release_line_telemetry_name WHERE id = ?")) {
                q.setInt(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("telemetry fact names " + id + ", which release_line_telemetry_name does not hold");
                    }
                    name(id, rs.getInt(1), rs.getString(2));
                    name = rs.getString(2);
                }
            }
        }
        return name;
    }

    /** The number of artifact {@code name}, read from the store if this catalog does not know it; -1 if it has none. */
    int artifact(Connection c, String name) throws SQLException {
        Integer id = artifacts.get(name);
        if (id != null) {
            return id;
        }
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM release_line_telemetry_name WHERE kind = ? AND name = ?")) {
            q.setInt(1, TelemetryFacts.ARTIFACT_NAME);
            q.setString(2, name);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return -1;
                }
                name(rs.getInt(1), TelemetryFacts.ARTIFACT_NAME, name);
                return rs.getInt(1);
            }
        }
    }

    private void name(int id, int kind, String name) {
        names.put(id, name);
        kinds.put(id, kind);
        if (kind == TelemetryFacts.ARTIFACT_NAME) {
            artifacts.put(name, id);
        }
    }

    /** The artifact's number, or -1 if no fact folded so far named it. */
    int knownArtifact(String name) {
        return artifacts.getOrDefault(name, -1);
    }

    String artifactName(int id) {
        return names.get(id);
    }

    /** What was recorded of the change of digest number {@code d} (as {@link #index} gave it). */
    void change(int d, long commit, boolean isHotfix) {
        if (d >= commitMicros.length) {
            int size = Math.max(1024, Integer.highestOneBit(d) * 2);
            int from = commitMicros.length;
            commitMicros = Arrays.copyOf(commitMicros, size);
            Arrays.fill(commitMicros, from, size, Long.MIN_VALUE);
            hotfix = Arrays.copyOf(hotfix, size);
        }
        commitMicros[d] = commit;
        hotfix[d] = isHotfix;
    }

    /** When the change of digest number {@code dig} was committed; {@code Long.MIN_VALUE} when nobody recorded it. */
    long commitMicros(int dig) {
        return dig < commitMicros.length ? commitMicros[dig] : Long.MIN_VALUE;
    }

    boolean hotfix(int dig) {
        return dig < hotfix.length && hotfix[dig];
    }

    static int index(long digest) {
        if (digest < 0 || digest > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("telemetry digest number " + digest + " is outside what the aggregates hold");
        }
        return (int) digest;
    }

    // ------------------------------------------------------------------ stored aggregates

    void write(DataOutputStream out) throws IOException {
        out.writeInt(names.size());
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            out.writeInt(e.getKey());
            out.writeByte(kinds.get(e.getKey()));
            out.writeUTF(e.getValue());
        }
        int known = 0;
        for (int d = 0; d < commitMicros.length; d++) {
            if (commitMicros[d] != Long.MIN_VALUE || hotfix[d]) {
                known++;
            }
        }
        out.writeInt(known);
        for (int d = 0; d < commitMicros.length; d++) {
            if (commitMicros[d] != Long.MIN_VALUE || hotfix[d]) {
                out.writeInt(d);
                out.writeLong(commitMicros[d]);
                out.writeBoolean(hotfix[d]);
            }
        }
    }

    /** Reads what {@link #write} wrote into this empty catalog. */
    void read(DataInputStream in) throws IOException {
        for (int i = in.readInt(); i > 0; i--) {
            name(in.readInt(), in.readByte(), in.readUTF());
        }
        for (int i = in.readInt(); i > 0; i--) {
            change(in.readInt(), in.readLong(), in.readBoolean());
        }
    }
}
