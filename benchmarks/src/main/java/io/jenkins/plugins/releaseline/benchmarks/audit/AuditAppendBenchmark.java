package io.jenkins.plugins.releaseline.benchmarks.audit;

import io.jenkins.plugins.releaseline.engine.audit.AuditEvent;
import io.jenkins.plugins.releaseline.engine.audit.AuditRecord;
import io.jenkins.plugins.releaseline.engine.audit.AuditScope;
import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import java.time.Clock;
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

/** One durable audit append (its own transaction, committed) on H2 file and on local PostgreSQL. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class AuditAppendBenchmark {

    @Param({"h2", "postgresql"})
    public String database;

    private Store store;
    private AuditTrail audit;
    private final AuditEvent event = new AuditEvent("andon.pull", AuditScope.of(AuditScope.Kind.ENVIRONMENT, "prod"),
            "benchmark", "{\"frozen\":false}", "{\"frozen\":true}");

    @Setup
    public void open() throws Exception {
        store = AuditData.open(database);
        audit = new AuditTrail(store, Clock.systemUTC());
    }

    @TearDown
    public void close() {
        store.close();
    }

    @Benchmark
    public AuditRecord append() {
        return audit.append("bench", event);
    }
}
