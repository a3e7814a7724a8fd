package io.jenkins.plugins.releaseline.engine.telemetry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Up to {@code capacity} facts ({@link DeliveryTelemetry#PAGE} unless a test says otherwise) after a given id, in id order, in primitive columns: what one keyset
 * query returns, read on whichever thread is free while another folds the page before (a long fold is bound by
 * the store decoding rows). A missing request or start time is {@link Long#MIN_VALUE}.
 */
final class FactPage {

    static final String QUERY = "SELECT id, kind, environment, artifact, digest, promotion_id, requested_micros, started_micros, at_micros, "
            + "hotfix FROM release_line_telemetry_fact WHERE id > ? ORDER BY id LIMIT ?";

    // grown as rows come: an incremental fold reads one or two facts, a long one full pages
    long[] id = new long[16];
    int[] kind = new int[16];
    int[] environment = new int[16];
    int[] artifact = new int[16];
    int[] digest = new int[16];
    long[] promotion = new long[16];
    long[] requested = new long[16];
    long[] started = new long[16];
    long[] at = new long[16];
    boolean[] hotfix = new boolean[16];
    final int capacity;
    int size;
    /** Set instead of rows when the reading thread failed; the folding thread throws it. */
    RuntimeException failure;

    private FactPage(int capacity) {
        this.capacity = capacity;
    }

    /** Reads the page of up to {@code capacity} facts after {@code after}. */
    static FactPage read(Connection c, long after, int capacity) throws SQLException {
        FactPage p = new FactPage(capacity);
        try (PreparedStatement q = c.prepareStatement(QUERY)) {
            q.setFetchSize(capacity);
            q.setLong(1, after);
            q.setInt(2, capacity);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    int i = p.size++;
                    if (i == p.id.length) {
                        p.grow();
                    }
                    p.id[i] = rs.getLong(1);
                    p.kind[i] = rs.getInt(2);
                    p.environment[i] = rs.getInt(3);
                    p.artifact[i] = rs.getInt(4);
                    p.digest[i] = Catalog.index(rs.getLong(5));
                    p.promotion[i] = rs.getLong(6);
                    p.requested[i] = orMin(rs, 7);
                    p.started[i] = orMin(rs, 8);
                    p.at[i] = rs.getLong(9);
                    p.hotfix[i] = rs.getBoolean(10);
                }
            }
        }
        return p;
    }

    private void grow() {
        int n = Math.min(id.length * 4, capacity);
        id = Arrays.copyOf(id, n);
        kind = Arrays.copyOf(kind, n);
        environment = Arrays.copyOf(environment, n);
        artifact = Arrays.copyOf(artifact, n);
        digest = Arrays.copyOf(digest, n);
        promotion = Arrays.copyOf(promotion, n);
        requested = Arrays.copyOf(requested, n);
        started = Arrays.copyOf(started, n);
        at = Arrays.copyOf(at, n);
        hotfix = Arrays.copyOf(hotfix, n);
    }

    static FactPage failed(RuntimeException e) {
        FactPage p = new FactPage(0);
        p.failure = e;
        return p;
    }

    boolean full() {
        return size == capacity && capacity > 0;
    }

    long lastId() {
        return id[size - 1];
    }

    private static long orMin(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Long.MIN_VALUE : v;
    }
}
