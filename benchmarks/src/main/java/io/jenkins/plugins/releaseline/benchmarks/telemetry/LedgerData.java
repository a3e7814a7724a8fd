package io.jenkins.plugins.releaseline.benchmarks.telemetry;

import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A promotion ledger written straight into the store with JDBC batches: per promotion REQUESTED, STARTED, an
 * outcome (DEPLOYED; every 10th FAILED, every 50th a ROLLED_BACK rollback) and VERIFIED, one promotion every
 * five minutes, every digest with its recorded commit an hour or so before. With the ledger records go the rows the
 * engine writes with them in the same transactions (migration V53): the recorded changes, and the telemetry facts of
 * the changes and the outcomes (environment number 1, artifact {@code app-k} number k + 2, digest of promotion p
 * number p + 1).
 */
final class LedgerData {

    static final String ENVIRONMENT = "prod";
    static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final int BATCH = 10_000;
    private static final int ARTIFACTS = 8;

    private LedgerData() {}

    /** A new temporary folder for a benchmark's store; {@link #delete} removes it. */
    static Path folder() throws IOException {
        return Files.createTempDirectory("release-line-telemetry-bench-");
    }

    /** The settings of the H2 store in a folder from {@link #folder}. */
    static StoreSettings settings(Path dir) {
        return StoreSettings.h2File(dir.resolve("store"), "bench");
    }

    /**
     * "Now" for a ledger whose next promotion is {@code next}: 20,000 promotions (about 69 days) after the last
     * record, so that the 90-day window holds the latest records.
     */
    static Clock now(long next) {
        return Clock.fixed(timeOf(next + 20_000), ZoneOffset.UTC);
    }

    /** Removes a folder from {@link #folder} with the store in it (a million-record store is some 200 MB). */
    static void delete(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Opens (and migrates) the store of {@code settings} and names the environment and the artifacts the facts use. */
    static Store open(StoreSettings settings) {
        Store store = Store.open(settings);
        store.inTransaction(c -> {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO release_line_telemetry_name (id, kind, name) VALUES (?, ?, ?)")) {
                for (int k = -1; k < ARTIFACTS; k++) {
                    ins.setInt(1, k + 2);
                    ins.setInt(2, k < 0 ? 1 : 2);
                    ins.setString(3, k < 0 ? ENVIRONMENT : "app-" + k);
                    ins.executeUpdate();
                }
            }
            return null;
        });
        return store;
    }

    /** Appends {@code records} ledger records from promotion {@code firstPromotion} on; returns the next promotion number. */
    static long append(Store store, long firstPromotion, int records) {
        return store.inTransaction(c -> {
            long p = firstPromotion;
            int written = 0;
            try (PreparedStatement ev = c.prepareStatement("INSERT INTO release_line_promotion_event (promotion_id, environment, artifact, "
                    + "version, digest, kind, principal, at_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement ch = c.prepareStatement("INSERT INTO release_line_telemetry_change (artifact, digest, commit_id, "
                         + "commit_micros, hotfix, recorded_by, recorded_micros) VALUES (?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement dg = c.prepareStatement("INSERT INTO release_line_telemetry_digest (id, artifact, digest) VALUES (?, ?, ?)");
                 PreparedStatement fa = c.prepareStatement("INSERT INTO release_line_telemetry_fact (kind, environment, artifact, digest, "
                         + "promotion_id, requested_micros, started_micros, at_micros, hotfix) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                while (written < records) {
                    long t = micros(START.plus(p * 5, ChronoUnit.MINUTES));
                    String digest = "sha256:" + String.format("%064x", p);
                    String artifact = "app-" + (p % ARTIFACTS);
                    int artifactNumber = (int) (p % ARTIFACTS) + 2;
                    boolean rollback = p % 50 == 49;
                    String outcome = rollback ? "ROLLED_BACK" : p % 10 == 3 ? "FAILED" : "DEPLOYED";
                    dg.setLong(1, p + 1);
                    dg.setInt(2, artifactNumber);
                    dg.setString(3, digest);
                    dg.addBatch();
                    if (!rollback) {
                        long commit = t - 3_600_000_000L - (p % 7) * 60_000_000L;
                        boolean hotfix = p % 97 == 5;
                        ch.setString(1, artifact);
                        ch.setString(2, digest);
                        ch.setString(3, Long.toHexString(p));
                        ch.setLong(4, commit);
                        ch.setBoolean(5, hotfix);
                        ch.setString(6, "bench");
                        ch.setLong(7, t);
                        ch.addBatch();
                        fact(fa, 1, 0, artifactNumber, p, -1, -1, commit, hotfix);
                    }
                    String[] kinds = {"REQUESTED", "STARTED", outcome, "VERIFIED"};
                    for (int k = 0; k < kinds.length && written < records; k++) {
                        long at = t + k * 30_000_000L + (k == 2 ? (p % 13) * 10_000_000L : 0);
                        ev.setLong(1, p);
                        ev.setString(2, ENVIRONMENT);
                        ev.setString(3, artifact);
                        ev.setString(4, "1." + p);
                        ev.setString(5, digest);
                        ev.setString(6, kinds[k]);
                        ev.setString(7, "ci");
                        ev.setLong(8, at);
                        ev.addBatch();
                        if (k >= 2) {
                            // the outcome's fact, with the request and the start before it; VERIFIED's fact
                            int kind = k == 3 ? 5 : rollback ? 4 : outcome.equals("FAILED") ? 3 : 2;
                            fact(fa, kind, 1, artifactNumber, p, t, t + 30_000_000L, at, false);
                        }
                        written++;
                    }
                    p++;
                    if (written % BATCH < 4) {
                        flush(c, ev, ch, dg, fa);
                    }
                }
                flush(c, ev, ch, dg, fa);
            }
            return p;
        });
    }

    /**
     * Adds a fact: a change (kind 1: no environment, promotion, request or start; {@code at} the commit time) or an
     * outcome of promotion {@code p} (its digest is number p + 1).
     */
    private static void fact(PreparedStatement fa, int kind, int environment, int artifact, long p, long requested, long started,
                             long at, boolean hotfix) throws SQLException {
        boolean change = kind == 1;
        fa.setInt(1, kind);
        if (change) {
            fa.setNull(2, Types.INTEGER);
            fa.setNull(5, Types.BIGINT);
            fa.setNull(6, Types.BIGINT);
            fa.setNull(7, Types.BIGINT);
        } else {
            fa.setInt(2, environment);
            fa.setLong(5, p);
            fa.setLong(6, requested);
            fa.setLong(7, started);
        }
        fa.setInt(3, artifact);
        fa.setLong(4, p + 1);
        fa.setLong(8, at);
        fa.setBoolean(9, hotfix);
        fa.addBatch();
    }

    private static void flush(Connection c, PreparedStatement... batches) throws SQLException {
        for (PreparedStatement b : batches) {
            b.executeBatch();
        }
        c.commit();
    }

    static Instant timeOf(long promotion) {
        return START.plus(promotion * 5, ChronoUnit.MINUTES);
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
