package io.jenkins.plugins.releaseline.benchmarks.telemetry;

import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A promotion ledger written straight into the store with JDBC batches: per promotion REQUESTED, STARTED, an
 * outcome (DEPLOYED; every 10th FAILED, every 50th a ROLLED_BACK rollback) and VERIFIED, one promotion every
 * five minutes, every digest with its recorded commit an hour or so before.
 */
final class LedgerData {

    static final String ENVIRONMENT = "prod";
    static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final int BATCH = 10_000;

    private LedgerData() {}

    static Store open() throws IOException {
        Path dir = Files.createTempDirectory("release-line-telemetry-bench-");
        return Store.open(StoreSettings.h2File(dir.resolve("store"), "bench"));
    }

    /** Appends {@code records} ledger records from promotion {@code firstPromotion} on; returns the next promotion number. */
    static long append(Store store, long firstPromotion, int records) {
        return store.inTransaction(c -> {
            long p = firstPromotion;
            int written = 0;
            try (PreparedStatement ev = c.prepareStatement("INSERT INTO release_line_promotion_event (promotion_id, environment, artifact, "
                    + "version, digest, kind, principal, at_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement ch = c.prepareStatement("INSERT INTO release_line_telemetry_change (artifact, digest, commit_id, "
                         + "commit_micros, hotfix, recorded_by, recorded_micros) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                while (written < records) {
                    long t = micros(START.plus(p * 5, ChronoUnit.MINUTES));
                    String digest = "sha256:" + String.format("%064x", p);
                    String artifact = "app-" + (p % 8);
                    boolean rollback = p % 50 == 49;
                    String outcome = rollback ? "ROLLED_BACK" : p % 10 == 3 ? "FAILED" : "DEPLOYED";
                    if (!rollback) {
                        ch.setString(1, artifact);
                        ch.setString(2, digest);
                        ch.setString(3, Long.toHexString(p));
                        ch.setLong(4, t - 3_600_000_000L - (p % 7) * 60_000_000L);
                        ch.setBoolean(5, p % 97 == 5);
                        ch.setString(6, "bench");
                        ch.setLong(7, t);
                        ch.addBatch();
                    }
                    String[] kinds = {"REQUESTED", "STARTED", outcome, "VERIFIED"};
                    for (int k = 0; k < kinds.length && written < records; k++) {
                        ev.setLong(1, p);
                        ev.setString(2, ENVIRONMENT);
                        ev.setString(3, artifact);
                        ev.setString(4, "1." + p);
                        ev.setString(5, digest);
                        ev.setString(6, kinds[k]);
                        ev.setString(7, "ci");
                        ev.setLong(8, t + k * 30_000_000L + (k == 2 ? (p % 13) * 10_000_000L : 0));
                        ev.addBatch();
                        written++;
                    }
                    p++;
                    if (written % BATCH < 4) {
                        flush(c, ev, ch);
                    }
                }
                flush(c, ev, ch);
            }
            return p;
        });
    }

    private static void flush(Connection c, PreparedStatement ev, PreparedStatement ch) throws SQLException {
        ch.executeBatch();
        ev.executeBatch();
        c.commit();
    }

    static Instant timeOf(long promotion) {
        return START.plus(promotion * 5, ChronoUnit.MINUTES);
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }
}
