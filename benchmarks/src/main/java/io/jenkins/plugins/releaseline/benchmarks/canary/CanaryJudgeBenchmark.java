package io.jenkins.plugins.releaseline.benchmarks.canary;

import io.jenkins.plugins.releaseline.engine.rollout.analysis.AnalysisReport;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Aggregate;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudge;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.Direction;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The judge on 20 metrics of 10,000 canary and 10,000 baseline samples each (half error rates of 0/1 samples,
 * half log-normal latencies; every fifth metric with a p99 threshold), as one analysis. Logging stays on at
 * INFO (every metric's values are formatted) but goes to a handler that drops it, so the console is not timed.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar 'CanaryJudgeBenchmark' -f 1 -wi 2 -i 3}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CanaryJudgeBenchmark {

    private static final int METRICS = 20;
    private static final int SAMPLES = 10_000;

    private final CanaryJudge judge = CanaryJudge.defaults();
    private List<CanaryJudge.Input> inputs;

    @Setup(Level.Trial)
    public void setUp() {
        Logger logger = Logger.getLogger(CanaryJudge.class.getName());
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                record.getMessage();
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
        Random r = new Random(2026);
        inputs = new ArrayList<>();
        for (int m = 0; m < METRICS; m++) {
            boolean errors = m % 2 == 0;
            double[] canary = new double[SAMPLES];
            double[] baseline = new double[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                canary[i] = errors ? (r.nextDouble() < 0.012 ? 1 : 0) : 20 * Math.exp(0.5 * r.nextGaussian());
                baseline[i] = errors ? (r.nextDouble() < 0.010 ? 1 : 0) : 20 * Math.exp(0.5 * r.nextGaussian());
            }
            CanaryMetric metric = CanaryMetric.of("metric-" + m, "bench", "q", Direction.LOWER_IS_BETTER);
            if (m % 5 == 1) {
                metric = metric.withThreshold(Aggregate.P99, 200.0);
            }
            inputs.add(new CanaryJudge.Input(metric, MetricSamples.of(canary, baseline)));
        }
    }

    @Benchmark
    public AnalysisReport judge20MetricsOf10000Samples() {
        return judge.judge(inputs);
    }
}
