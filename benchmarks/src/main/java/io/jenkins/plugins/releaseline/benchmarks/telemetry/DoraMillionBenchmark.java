package io.jenkins.plugins.releaseline.benchmarks.telemetry;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.telemetry.DeliveryTelemetry;
import io.jenkins.plugins.releaseline.engine.telemetry.DoraFigures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
 * store whose aggregates were never stored (deleted before each call, not timed): it folds every record and
 * stores the aggregates; {@link #incrementalUpdate} folds one new deployment (4 records, written before each call,
 * not timed) into aggregates that already hold the million, then answers; {@link #figuresOnly} answers from
 * up-to-date aggregates.
 */
@State(Scope.Benchmark)
public class DoraMillionBenchmark {

    @Param({"1000000"})
    public int records;

    private Store store;
    private AuditTrail audit;
    private Clock clock;
    private long nextPromotion;
    private DeliveryTelemetry warm;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        store = LedgerData.open();
        nextPromotion = LedgerData.append(store, 0, records);
        // "now" is 20,000 promotions (about 69 days) after the last record: the 90-day window holds the latest records
        clock = Clock.fixed(LedgerData.timeOf(nextPromotion + 20_000), ZoneOffset.UTC);
        audit = new AuditTrail(store, clock);
        warm = new DeliveryTelemetry(store, audit, clock);
        check(warm.figures(LedgerData.ENVIRONMENT, Duration.ofDays(90)));
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
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
        return check(new DeliveryTelemetry(store, audit, clock).figures(LedgerData.ENVIRONMENT, Duration.ofDays(90)));
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public DoraFigures firstFoldNeverFolded(NeverFolded forgotten) {
        return check(new DeliveryTelemetry(store, audit, clock).figures(LedgerData.ENVIRONMENT, Duration.ofDays(90)));
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
