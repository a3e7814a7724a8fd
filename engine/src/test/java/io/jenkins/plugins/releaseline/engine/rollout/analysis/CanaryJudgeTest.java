package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

class CanaryJudgeTest {

    private final CanaryJudge judge = CanaryJudge.defaults();

    static final CanaryMetric ERRORS = CanaryMetric.of("error-rate", "probe", "errors", Direction.LOWER_IS_BETTER)
            .withTolerance(0.10, 0.002);
    static final CanaryMetric LATENCY = CanaryMetric.of("latency", "probe", "latency", Direction.LOWER_IS_BETTER);

    static double[] bernoulli(Random r, int n, double p) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextDouble() < p ? 1 : 0;
        }
        return out;
    }

    static double[] logNormal(Random r, int n, double medianMs) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = medianMs * Math.exp(0.5 * r.nextGaussian());
        }
        return out;
    }

    @Test
    void aWorseErrorRateFailsAndNamesTheMetric() {
        Random r = new Random(1);
        AnalysisReport report = judge.judge(List.of(
                new CanaryJudge.Input(ERRORS, MetricSamples.of(bernoulli(r, 1000, 0.05), bernoulli(r, 1000, 0.01))),
                new CanaryJudge.Input(LATENCY, MetricSamples.of(logNormal(r, 1000, 20), logNormal(r, 1000, 20)))));
        assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(report.score()).isEqualTo(50);
        assertThat(report.failedMetrics()).containsExactly("error-rate");
        assertThat(report.reason()).contains("error-rate");
        MetricResult errors = report.metrics().get(0);
        assertThat(errors.reason()).contains("worse than baseline").contains("p=");
        assertThat(errors.canaryMean()).isBetween(0.03, 0.07);
        assertThat(errors.canaryCount()).isEqualTo(1000);
    }

    @Test
    void anImprovementNeverFails() {
        Random r = new Random(2);
        MetricResult fewerErrors = judge.judge(ERRORS, MetricSamples.of(bernoulli(r, 1000, 0.0), bernoulli(r, 1000, 0.05)));
        MetricResult faster = judge.judge(LATENCY, MetricSamples.of(logNormal(r, 1000, 10), logNormal(r, 1000, 40)));
        assertThat(fewerErrors.verdict()).isEqualTo(Verdict.PASS);
        assertThat(fewerErrors.pValue()).isGreaterThan(0.99);
        assertThat(faster.verdict()).isEqualTo(Verdict.PASS);
        assertThat(faster.effect()).isNegative();
        CanaryMetric throughput = CanaryMetric.of("rps", "prom", "q", Direction.HIGHER_IS_BETTER);
        assertThat(judge.judge(throughput, MetricSamples.of(logNormal(r, 200, 200), logNormal(r, 200, 100))).verdict())
                .isEqualTo(Verdict.PASS);
        assertThat(judge.judge(throughput, MetricSamples.of(logNormal(r, 200, 100), logNormal(r, 200, 200))).verdict())
                .isEqualTo(Verdict.FAIL);
    }

    @Test
    void aSignificantButTolerableDifferenceDoesNotFail() {
        Random r = new Random(3);
        // 5% slower with 20,000 samples a side is significant, but under the 10% tolerance.
        MetricResult slightly = judge.judge(LATENCY, MetricSamples.of(logNormal(r, 20_000, 21), logNormal(r, 20_000, 20)));
        assertThat(slightly.pValue()).isLessThan(0.01);
        assertThat(slightly.verdict()).isEqualTo(Verdict.PASS);
        MetricResult tight = judge.judge(LATENCY.withTolerance(0.01, 0), MetricSamples.of(logNormal(r, 20_000, 21), logNormal(r, 20_000, 20)));
        assertThat(tight.verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void thresholdsApplyToTheChosenAggregate() {
        Random r = new Random(4);
        CanaryMetric p99 = LATENCY.withThreshold(Aggregate.P99, 100.0).withCompare(false);
        double[] fast = logNormal(r, 500, 20);
        MetricResult ok = judge.judge(p99, MetricSamples.of(fast, null));
        assertThat(ok.verdict()).isEqualTo(Verdict.PASS);
        assertThat(ok.canaryValue()).isLessThan(100).isGreaterThan(40);
        MetricResult slow = judge.judge(p99, MetricSamples.of(logNormal(r, 500, 60), null));
        assertThat(slow.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(slow.reason()).startsWith("canary p99 ").contains("is over the limit 100");
        CanaryMetric maxErrors = ERRORS.withThreshold(Aggregate.MEAN, 0.01);
        MetricResult high = judge.judge(maxErrors, MetricSamples.of(bernoulli(r, 1000, 0.03), bernoulli(r, 1000, 0.03)));
        assertThat(high.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(high.reason()).contains("is over the limit 0.01");
    }

    @Test
    void noDataTooLittleDataAndNaNNeverPass() {
        MetricResult none = judge.judge(LATENCY, MetricSamples.of(new double[0], new double[0]));
        assertThat(none.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(none.reason()).startsWith("no data");
        double[] nans = new double[50];
        java.util.Arrays.fill(nans, Double.NaN);
        MetricResult allNaN = judge.judge(LATENCY, MetricSamples.of(nans, nans));
        assertThat(allNaN.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(allNaN.droppedNaN()).isEqualTo(100);
        assertThat(allNaN.reason()).contains("100 NaN dropped");
        MetricResult few = judge.judge(LATENCY, MetricSamples.of(new double[] {1, 2, 3}, logNormal(new Random(5), 100, 2)));
        assertThat(few.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(few.reason()).startsWith("too little data: canary 3, baseline 100 samples, 20 needed");
        MetricResult down = judge.judge(LATENCY, MetricSamples.failed("prometheus: connection refused"));
        assertThat(down.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(down.reason()).isEqualTo("no data: prometheus: connection refused");
        assertThat(judge.judge(LATENCY.withNoData(NoData.FAIL), MetricSamples.of(null, null)).verdict()).isEqualTo(Verdict.FAIL);

        AnalysisReport report = judge.judge(List.of(new CanaryJudge.Input(LATENCY, MetricSamples.of(nans, nans))));
        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(judge.judge(List.of()).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void nanSamplesAmongGoodOnesAreDroppedNotCounted() {
        Random r = new Random(6);
        double[] canary = logNormal(r, 100, 20);
        canary[0] = Double.NaN;
        canary[1] = Double.NaN;
        MetricResult m = judge.judge(LATENCY, MetricSamples.of(canary, logNormal(r, 100, 20)));
        assertThat(m.canaryCount()).isEqualTo(98);
        assertThat(m.droppedNaN()).isEqualTo(2);
        assertThat(Double.isFinite(m.canaryMean())).isTrue();
    }

    @Test
    void scoreAndVerdictFollowTheWeightsAndCriticalMetrics() {
        Random r = new Random(7);
        List<CanaryJudge.Input> inputs = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            inputs.add(new CanaryJudge.Input(CanaryMetric.of("m" + i, "s", "q", Direction.LOWER_IS_BETTER),
                    MetricSamples.of(logNormal(r, 200, 10), logNormal(r, 200, 10))));
        }
        inputs.add(new CanaryJudge.Input(CanaryMetric.of("slow", "s", "q", Direction.LOWER_IS_BETTER),
                MetricSamples.of(logNormal(r, 200, 30), logNormal(r, 200, 10))));
        AnalysisReport oneOfTen = judge.judge(inputs);
        assertThat(oneOfTen.score()).isEqualTo(90);
        assertThat(oneOfTen.verdict()).isEqualTo(Verdict.PASS);
        assertThat(oneOfTen.reason()).contains("failed: slow");

        inputs.set(9, new CanaryJudge.Input(inputs.get(9).metric().withWeight(2), inputs.get(9).samples()));
        AnalysisReport marginal = judge.judge(inputs);
        assertThat(marginal.score()).isEqualTo(81);
        assertThat(marginal.verdict()).isEqualTo(Verdict.MARGINAL);

        inputs.set(9, new CanaryJudge.Input(inputs.get(9).metric().withCritical(true), inputs.get(9).samples()));
        AnalysisReport critical = judge.judge(inputs);
        assertThat(critical.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(critical.reason()).isEqualTo("critical metric failed: slow");

        // A clear failure is not hidden by another metric without data.
        AnalysisReport failAndNoData = judge.judge(List.of(
                new CanaryJudge.Input(LATENCY, MetricSamples.of(logNormal(r, 200, 30), logNormal(r, 200, 10))),
                new CanaryJudge.Input(ERRORS, MetricSamples.failed("down"))));
        assertThat(failAndNoData.verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void everyValueUsedIsLogged() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(CanaryJudge.class.getName());
        Handler h = new Handler() {
            @Override public void publish(LogRecord record) { lines.add(record.getMessage()); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        logger.addHandler(h);
        try {
            Random r = new Random(8);
            judge.judge(List.of(new CanaryJudge.Input(LATENCY, MetricSamples.of(logNormal(r, 100, 20), logNormal(r, 100, 20)))));
        } finally {
            logger.removeHandler(h);
        }
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("canary metric latency: PASS")
                .contains("canary n=100").contains("baseline n=100").contains("mean=").contains("p="));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("canary analysis: PASS (score 100)"));
    }

    /** The U statistic agrees with commons-math's (which reports the larger of U1 and U2). */
    @Test
    void uAgreesWithCommonsMath() {
        Random r = new Random(9);
        MannWhitneyUTest reference = new MannWhitneyUTest();
        for (int trial = 0; trial < 200; trial++) {
            double[] a = r.nextBoolean() ? bernoulli(r, 1 + r.nextInt(300), 0.1) : logNormal(r, 1 + r.nextInt(300), 5);
            double[] b = r.nextBoolean() ? bernoulli(r, 1 + r.nextInt(300), 0.1) : logNormal(r, 1 + r.nextInt(300), 5);
            double u1 = CanaryJudge.uOfFirst(CanaryJudge.sortedSamples(a, Double.POSITIVE_INFINITY),
                    CanaryJudge.sortedSamples(b, Double.POSITIVE_INFINITY)).u();
            double u2 = (double) a.length * b.length - u1;
            assertThat(Math.max(u1, u2)).isCloseTo(reference.mannWhitneyU(a, b), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    /** Samples with few distinct values are counted instead of sorted; the result is the same sorted array. */
    @Test
    void sortedSamplesAgreeWithSortingWhateverTheNumberOfDistinctValues() {
        Random r = new Random(10);
        for (int trial = 0; trial < 300; trial++) {
            int distinct = 1 + r.nextInt(12);
            double worst = r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            double[] v = new double[r.nextInt(400)];
            for (int i = 0; i < v.length; i++) {
                int dice = r.nextInt(40);
                v[i] = dice == 0 ? Double.NaN : dice == 1 ? Double.POSITIVE_INFINITY : dice == 2 ? Double.NEGATIVE_INFINITY
                        : (r.nextInt(distinct) - 3) * 0.5;
            }
            double[] expected = java.util.Arrays.stream(v).filter(x -> !Double.isNaN(x))
                    .map(x -> Double.isInfinite(x) ? worst : x).sorted().toArray();
            assertThat(CanaryJudge.sortedSamples(v, worst)).containsExactly(expected);
        }
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new CanaryJudge(0.7, 90, 75)).hasMessageStartingWith("alpha: ");
        assertThatThrownBy(() -> new CanaryJudge(0.01, 70, 75)).hasMessageStartingWith("scores: ");
        assertThatThrownBy(() -> CanaryMetric.of("m", "s", " ", Direction.LOWER_IS_BETTER)).hasMessage("metric m: query: must not be empty");
        assertThatThrownBy(() -> LATENCY.withCompare(false)).hasMessageStartingWith("metric latency: judges nothing");
        assertThatThrownBy(() -> LATENCY.withMinSamples(0)).hasMessageStartingWith("metric latency: minSamples: 0");
    }
}
