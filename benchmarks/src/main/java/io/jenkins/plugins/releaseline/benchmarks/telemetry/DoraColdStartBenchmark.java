package io.jenkins.plugins.releaseline.benchmarks.telemetry;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.telemetry.DeliveryTelemetry;
import io.jenkins.plugins.releaseline.engine.telemetry.DoraFigures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The very first DORA figures of a store whose aggregates were never stored, as the first start of a controller
 * after the upgrade that brings telemetry would compute them: each fork writes a ledger of {@code records} records
 * (with the facts the engine writes beside them), closes the store and opens it again (an empty page cache), then
 * times one call, in a JVM that has never run the fold: fold every fact and answer the last 90 days (the
 * aggregates are written in the background after the call; {@link #firstFoldInNewJvmUntilStored} waits for that
 * write too). One shot per fork, no warm-up: the JIT is as cold as at a start. {@link DoraMillionBenchmark} measures the
 * same fold warm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(7)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class DoraColdStartBenchmark {

    @Param({"1000000"})
    public int records;

    private Path dir;
    private Store store;
    private AuditTrail audit;
    private Clock clock;
    private DeliveryTelemetry last;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        dir = LedgerData.folder();
        long next;
        try (Store written = LedgerData.open(LedgerData.settings(dir))) {
            next = LedgerData.append(written, 0, records);
        }
        clock = LedgerData.now(next);
        store = Store.open(LedgerData.settings(dir));
        audit = new AuditTrail(store, clock);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (last != null) {
            last.awaitStoredAggregates(Duration.ofMinutes(2));
        }
        store.close();
        LedgerData.delete(dir);
    }

    @Benchmark
    public DoraFigures firstFoldInNewJvm() {
        return fold();
    }

    /** {@link #firstFoldInNewJvm} until its aggregates are written too (the caller does not wait for that). */
    @Benchmark
    public DoraFigures firstFoldInNewJvmUntilStored() {
        DoraFigures f = fold();
        last.awaitStoredAggregates(Duration.ofMinutes(2));
        return f;
    }

    private DoraFigures fold() {
        last = new DeliveryTelemetry(store, audit, clock);
        DoraFigures f = last.figures(LedgerData.ENVIRONMENT, Duration.ofDays(90));
        if (f.changes() == 0) {
            throw new IllegalStateException("empty figures, the benchmark measured nothing: " + f);
        }
        return f;
    }
}
