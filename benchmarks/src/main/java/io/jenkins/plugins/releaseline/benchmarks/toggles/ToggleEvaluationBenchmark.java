package io.jenkins.plugins.releaseline.benchmarks.toggles;

import io.jenkins.plugins.releaseline.engine.audit.AuditTrail;
import io.jenkins.plugins.releaseline.engine.store.Store;
import io.jenkins.plugins.releaseline.engine.testing.StoreTarget;
import io.jenkins.plugins.releaseline.engine.toggles.EnvironmentSetting;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import io.jenkins.plugins.releaseline.engine.toggles.Rollout;
import io.jenkins.plugins.releaseline.engine.toggles.RuleOperator;
import io.jenkins.plugins.releaseline.engine.toggles.TargetingRule;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleContext;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleDefinition;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleEvaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * {@code FeatureToggles.evaluate} for a toggle with ten rules of every kind (text equality, lists, prefixes,
 * semantic versions) ahead of a 25% rollout, with contexts that match no rule, so that every rule is tried and
 * the rollout hashes the targeting key: the slowest path. {@code -prof gc} shows what it allocates per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ToggleEvaluationBenchmark {

    private static final int CONTEXTS = 1_024;

    private Path folder;
    private Store store;
    private FeatureToggles toggles;
    private ToggleContext[] contexts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("toggle-bench");
        store = StoreTarget.h2(folder).open();
        toggles = new FeatureToggles(store, new AuditTrail(store, Clock.systemUTC()), Clock.systemUTC());
        toggles.addEnvironment("bench", "prod", null);
        toggles.define("bench", ToggleDefinition.bool("ten-rules", "Ten rules and a 25% rollout", "bench"), null);
        toggles.configure("bench", "ten-rules", "prod", new EnvironmentSetting(true, false, "off", List.of(
                rule("email", RuleOperator.STARTS_WITH, "on", "qa-"),
                rule("country", RuleOperator.IN, "off", "KP", "IR", "SY", "CU"),
                rule("plan", RuleOperator.EQUALS, "on", "enterprise"),
                rule("version", RuleOperator.SEMVER_LESS, "off", "2.0.0"),
                rule("version", RuleOperator.SEMVER_GREATER_OR_EQUAL, "on", "3.1.0-rc.2"),
                rule("beta", RuleOperator.EQUALS, "on", "yes"),
                rule("age", RuleOperator.EQUALS, "on", "42"),
                rule("region", RuleOperator.STARTS_WITH, "on", "eu-"),
                rule("version", RuleOperator.SEMVER_SAME_MINOR, "on", "2.5.0"),
                rule("tenant", RuleOperator.IN, "on", "acme", "globex", "initech")),
                Rollout.of(25, "on")), null);
        contexts = new ToggleContext[CONTEXTS];
        for (int i = 0; i < CONTEXTS; i++) {
            contexts[i] = ToggleContext.of(Map.of(
                    "targetingKey", "user-" + (i * 7919),
                    "email", "dev" + i + "@example.com",
                    "country", "DE",
                    "plan", "pro",
                    "version", "2.4." + (i % 10),
                    "age", 30 + (i % 10),
                    "region", "us-east-1",
                    "tenant", "umbrella"));
        }
        ToggleEvaluation check = toggles.evaluate("ten-rules", "prod", contexts[0], Boolean.FALSE);
        if (check.ruleIndex() >= 0 || check.errorCode() != null) {
            throw new IllegalStateException("the benchmark context should reach the rollout: " + check);
        }
    }

    private static TargetingRule rule(String attribute, RuleOperator op, String variant, String... values) {
        return new TargetingRule(attribute, op, List.of(values), variant);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * The same call measured in thread CPU time rather than wall time: on a machine shared with other builds the
     * JMH wall-clock figure includes time this thread waited for a core. Run with
     * {@code java -cp benchmarks/target/benchmarks.jar io.jenkins.plugins.releaseline.benchmarks.toggles.ToggleEvaluationBenchmark}.
     */
    public static void main(String[] args) throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        ToggleEvaluationBenchmark b = new ToggleEvaluationBenchmark();
        b.setUp();
        try {
            int calls = 2_000_000;
            long sink = 0;
            double[] cpu = new double[7];
            for (int round = -3; round < cpu.length; round++) {
                long wall0 = System.nanoTime();
                long cpu0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) {
                    sink += b.tenRulesThenRollout().variant().length();
                }
                long cpuNs = threads.getCurrentThreadCpuTime() - cpu0;
                long wallNs = System.nanoTime() - wall0;
                if (round >= 0) {
                    cpu[round] = (double) cpuNs / calls;
                }
                System.out.printf("%s %d: %.1f ns/op CPU, %.1f ns/op wall%n", round < 0 ? "warm-up" : "round", Math.abs(round),
                        (double) cpuNs / calls, (double) wallNs / calls);
            }
            java.util.Arrays.sort(cpu);
            System.out.printf("median over %d rounds of %d calls: %.1f ns/op CPU (checksum %d)%n", cpu.length, calls, cpu[cpu.length / 2], sink);
        } finally {
            b.tearDown();
        }
    }

    @Benchmark
    public ToggleEvaluation tenRulesThenRollout() {
        ToggleContext c = contexts[next++ & (CONTEXTS - 1)];
        return toggles.evaluate("ten-rules", "prod", c, Boolean.FALSE);
    }
}
