package io.jenkins.plugins.releaseline.benchmarks.audit;

import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.audit.VerificationReport;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * With 1,000,000 audit records present: {@code verify()} over the whole chain, and reading the latest state of
 * one scope.
 */
@State(Scope.Benchmark)
public class AuditMillionBenchmark {

    @Param({"1000000"})
    public int records;

    @Param({"h2"})
    public String database;

    private Store store;
    private AuditTrail audit;

    @Setup
    public void fill() throws Exception {
        store = AuditData.open(database);
        audit = new AuditTrail(store, Clock.systemUTC());
        AuditData.fill(audit, records);
    }

    @TearDown
    public void close() {
        store.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public VerificationReport verify() {
        VerificationReport report = audit.verify();
        if (!report.intact() || report.recordsChecked() != records) {
            throw new IllegalStateException(report.toString());
        }
        return report;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 3, time = 5)
    public Optional<AuditRecord> latestOfOneScope() {
        Optional<AuditRecord> r = audit.latest(AuditData.scope(ThreadLocalRandom.current().nextInt(AuditData.SCOPES)));
        if (r.isEmpty()) {
            throw new IllegalStateException("no record for the scope");
        }
        return r;
    }
}
