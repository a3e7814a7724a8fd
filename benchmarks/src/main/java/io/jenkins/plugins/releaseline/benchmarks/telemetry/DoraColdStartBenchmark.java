package io.jenkins.plugins.releaseline.benchmarks.telemetry;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.store.StoreSettings;
import io.jenkins.plugins.releaseline.engine.telemetry.DeliveryTelemetry;
import io.jenkins.plugins.releaseline.engine.telemetry.DoraFigures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
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
 * times one call, in a JVM that has never run the fold: fold every fact, store the aggregates, answer the last 90
 * days. One shot per fork, no warm-up: the JIT is as cold as at a start. {@link DoraMillionBenchmark} measures the
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

    private Path file;
    private Store store;
    private AuditTrail audit;
    private Clock clock;

    @Setup(Level.Trial)
    public void fill() throws Exception {
        Path dir = Files.createTempDirectory("release-line-telemetry-cold-");
        file = dir.resolve("store");
        long next;
        try (Store written = LedgerData.open(StoreSettings.h2File(file, "bench"))) {
            next = LedgerData.append(written, 0, records);
        }
        // "now" is about 69 days after the last record, as in DoraMillionBenchmark: the 90-day window holds data
        clock = Clock.fixed(LedgerData.timeOf(next + 20_000), ZoneOffset.UTC);
        store = Store.open(StoreSettings.h2File(file, "bench"));
        audit = new AuditTrail(store, clock);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    @Benchmark
    public DoraFigures firstFoldInNewJvm() {
        DoraFigures f = new DeliveryTelemetry(store, audit, clock).figures(LedgerData.ENVIRONMENT, Duration.ofDays(90));
        if (f.changes() == 0) {
            throw new IllegalStateException("empty figures, the benchmark measured nothing: " + f);
        }
        return f;
    }
}
