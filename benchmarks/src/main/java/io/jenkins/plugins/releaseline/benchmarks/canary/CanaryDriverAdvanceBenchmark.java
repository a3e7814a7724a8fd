package io.jenkins.plugins.releaseline.benchmarks.canary;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.AnalysisContext;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudge;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Direction;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSamples;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSource;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryDriver;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryPlan;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanarySpec;
import io.jenkins.plugins.releaseline.engine.rollout.router.BackendHealth;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficSplit;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.testing.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@link CanaryDriver#advance} on an H2 file store, with a router held in memory and a metric source that answers
 * at once (no network): what a Jenkins timer task spends per advance besides waiting on the router and the sources.
 * {@code advanceWithNothingDue}: the common tick of a rollout waiting for its next analysis.
 * {@code advanceAnalysingAndSettingTheNextWeight}: an analysis (one metric, 200 samples a side) that passes, the next
 * weight journaled and set, the change recorded with its event and audit record.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar 'CanaryDriverAdvanceBenchmark' -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CanaryDriverAdvanceBenchmark {

    /** A router in memory: it holds the split it was given. */
    static final class MemoryRouter implements TrafficRouter {
        private volatile TrafficSplit split = TrafficSplit.of("stable", "canary", 0);

        @Override
        public String name() {
            return "bench-lb";
        }

        @Override
        public List<String> backends() {
            return List.of("stable", "canary");
        }

        @Override
        public TrafficSplit read() {
            return split;
        }

        @Override
        public TrafficSplit apply(TrafficSplit target) {
            split = target;
            return target;
        }

        @Override
        public Map<String, BackendHealth> health() {
            return Map.of();
        }
    }

    /** Answers every query at once with the same samples on both sides: a passing analysis. */
    static final class ScriptedSource implements MetricSource {
        private final double[] samples = new double[200];

        ScriptedSource() {
            for (int i = 0; i < samples.length; i++) {
                samples[i] = i % 100 == 0 ? 1 : 0;
            }
        }

        @Override
        public String id() {
            return "scripted";
        }

        @Override
        public MetricSamples measure(CanaryMetric metric, AnalysisContext context) {
            return MetricSamples.of(samples.clone(), samples.clone());
        }
    }

    private Path folder;
    private Store store;
    private TestClock clock;
    private CanaryController controller;
    private CanaryAnalysis analysis;
    private int n;
    private CanaryDriver waiting;
    private CanaryDriver due;

    @Setup(Level.Trial)
    public void open() throws IOException {
        LogManager.getLogManager().reset();
        folder = Files.createTempDirectory("canary-advance-bench");
        store = StoreTarget.h2(folder).open("bench");
        clock = new TestClock(Instant.parse("2026-12-05T03:00:00Z"));
        controller = new CanaryController(store, new AuditTrail(store, clock), clock);
        analysis = new CanaryAnalysis(List.of(CanaryMetric.of("error-rate", "scripted", "errors", Direction.LOWER_IS_BETTER)),
                List.of(new ScriptedSource()), CanaryJudge.defaults());
        waiting = rollout("10%/1h, 100%");
        waiting.advance(clock.instant());
    }

    /** A new rollout on a router of its own, its first weight set, its analysis due. */
    @Setup(Level.Invocation)
    public void dueRollout() {
        due = rollout("10%/1s, 50%/1s, 100%");
        due.advance(clock.instant());
        clock.advance(Duration.ofSeconds(1));
    }

    private CanaryDriver rollout(String plan) {
        String id = "bench#" + (++n);
        MemoryRouter router = new MemoryRouter();
        CanaryDriver.create(store, clock, "bench", CanarySpec.of(id, router.name() + "-" + n, "stable", "canary",
                CanaryPlan.parse(plan)), false, false);
        TrafficRouter named = new MemoryRouterNamed(router.name() + "-" + n, router);
        return new CanaryDriver(id, store, controller, clock, named, () -> analysis);
    }

    /** The in-memory router under a name of its own (one router per rollout: a router runs one canary at a time). */
    record MemoryRouterNamed(String name, MemoryRouter router) implements TrafficRouter {
        @Override
        public List<String> backends() {
            return router.backends();
        }

        @Override
        public TrafficSplit read() {
            return router.read();
        }

        @Override
        public TrafficSplit apply(TrafficSplit target) {
            return router.apply(target);
        }

        @Override
        public Map<String, BackendHealth> health() {
            return router.health();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Benchmark
    public Next advanceWithNothingDue() {
        return waiting.advance(clock.instant());
    }

    @Benchmark
    public Next advanceAnalysingAndSettingTheNextWeight() {
        return due.advance(clock.instant());
    }
}
