package io.jenkins.plugins.releaseline.benchmarks.telemetry;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.telemetry.DeliveryTelemetry;
import io.jenkins.plugins.releaseline.engine.telemetry.DoraFigures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DORA figures of one environment whose ledger holds 1,000,000 records (H2 file store):
 * {@link #firstComputation} is a new instance (a controller start) that reads the stored aggregates, folds the
 * records after their marks and answers the last 90 days; {@link #firstFoldNeverFolded} is a new instance over a
 * store whose aggregates were never stored (deleted before each call, not timed): it folds every fact and answers,
 * the aggregates being written in the background after it returns ({@link #firstFoldNeverFoldedUntilStored} times
 * that write too); {@link #incrementalUpdate} folds one new deployment (4 records, written before each call,
 * not timed) into aggregates that already hold the million, then answers; {@link #figuresOnly} answers from
 * up-to-date aggregates.
 */
@State(Scope.Benchmark)
public class DoraMillionBenchmark {

    @Param({"1000000"})
    public int records;

    private Path dir;
    private Store store;
    private AuditTrail audit;
    private Clock clock;
    private long nextPromotion;
    private DeliveryTelemetry warm;
    /** The instance of the last single shot: its aggregates may still be being written in the background. */
    private volatile DeliveryTelemetry lastShot;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        dir = LedgerData.folder();
        store = LedgerData.open(LedgerData.settings(dir));
        nextPromotion = LedgerData.append(store, 0, records);
        clock = LedgerData.now(nextPromotion);
        audit = new AuditTrail(store, clock);
        warm = new DeliveryTelemetry(store, audit, clock);
        check(warm.figures(LedgerData.ENVIRONMENT, Duration.ofDays(90)));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        settle();
        store.close();
        LedgerData.delete(dir);
    }

    /** Writes one more deployment (4 ledger records) before each call of {@link #incrementalUpdate}. */
    @State(Scope.Benchmark)
    public static class NewRecords {
        @Setup(Level.Invocation)
        public void oneMoreDeployment(DoraMillionBenchmark ledger) {
            ledger.nextPromotion = LedgerData.append(ledger.store, ledger.nextPromotion, 4);
        }
    }

    /** Deletes the stored aggregates before each call of {@link #firstFoldNeverFolded}. */
    @State(Scope.Benchmark)
    public static class NeverFolded {
        @Setup(Level.Invocation)
        public void forget(DoraMillionBenchmark ledger) {
            ledger.settle();
            ledger.store.inTransaction(c -> {
                try (var s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM release_line_telemetry_aggregate_part");
                    s.executeUpdate("DELETE FROM release_line_telemetry_aggregate");
                }
                return null;
            });
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 7)
    public DoraFigures firstComputation() {
        return shot();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 7)
    public DoraFigures firstFoldNeverFolded(NeverFolded forgotten) {
        return shot();
    }

    /** {@link #firstFoldNeverFolded} until its aggregates are written too (the caller does not wait for that). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2)
    @Measurement(iterations = 7)
    public DoraFigures firstFoldNeverFoldedUntilStored(NeverFolded forgotten) {
        DoraFigures f = shot();
        settle();
        return f;
    }

    private DoraFigures shot() {
        DeliveryTelemetry t = new DeliveryTelemetry(store, audit, clock);
        lastShot = t;
        return check(t.figures(LedgerData.ENVIRONMENT, Duration.ofDays(90)));
    }

    /** Waits for the background write of the last shot and of the warm instance. */
    void settle() {
        for (DeliveryTelemetry t : new DeliveryTelemetry[] {lastShot, warm}) {
            if (t != null && !t.awaitStoredAggregates(Duration.ofMinutes(2))) {
                throw new IllegalStateException("the telemetry aggregates were not written within 2 minutes");
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 3, time = 5)
    public DoraFigures incrementalUpdate(NewRecords written) {
        return check(warm.figures(LedgerData.ENVIRONMENT, Duration.ofDays(90)));
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 3, time = 5)
    public DoraFigures figuresOnly() {
        Instant to = clock.instant();
        return check(warm.figures(LedgerData.ENVIRONMENT, null, to.minus(Duration.ofDays(90)), to));
    }

    private DoraFigures check(DoraFigures f) {
        if (f.changes() == 0 && f.restored() == 0 && records >= 1_000_000) {
            // the window must hold data, or the benchmark measures nothing
            throw new IllegalStateException("empty figures: " + f);
        }
        return f;
    }
}
