package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import static io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudgeTest.ERRORS;
import static io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudgeTest.LATENCY;
import static io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudgeTest.bernoulli;
import static io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudgeTest.logNormal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The judge against known cases, 200 seeded trials each: an error-rate metric (1% baseline, 0/1 per request)
 * and a latency metric (log-normal, median 20 ms), 1,000 requests a side, default settings (alpha 0.01,
 * 10% tolerance, 0.002 absolute tolerance on the error rate). Prints the measured rates.
 */
class CanaryJudgeAccuracyTest {

    private static final int TRIALS = 200;
    private static final int N = 1000;
    private static final CanaryJudge JUDGE = CanaryJudge.defaults();
    private static Level saved;

    @BeforeAll
    static void quiet() {
        Logger l = Logger.getLogger(CanaryJudge.class.getName());
        saved = l.getLevel();
        l.setLevel(Level.WARNING);
    }

    @AfterAll
    static void restore() {
        Logger.getLogger(CanaryJudge.class.getName()).setLevel(saved);
    }

    private static double passRate(long seed, double canaryErrors, double canaryMedian) {
        Random r = new Random(seed);
        int passed = 0;
        for (int t = 0; t < TRIALS; t++) {
            AnalysisReport report = JUDGE.judge(List.of(
                    new CanaryJudge.Input(ERRORS, MetricSamples.of(bernoulli(r, N, canaryErrors), bernoulli(r, N, 0.01))),
                    new CanaryJudge.Input(LATENCY, MetricSamples.of(logNormal(r, N, canaryMedian), logNormal(r, N, 20)))));
            if (report.verdict() == Verdict.PASS) {
                passed++;
            }
        }
        return passed / (double) TRIALS;
    }

    private static void report(String name, double passRate) {
        System.out.printf(Locale.ROOT, "canary judge accuracy: %-28s pass %5.1f%%  fail %5.1f%%  (%d trials)%n",
                name, passRate * 100, (1 - passRate) * 100, TRIALS);
    }

    @Test
    void sameDistributionsPassInAtLeast95Percent() {
        double pass = passRate(101, 0.01, 20);
        report("same distributions", pass);
        assertThat(pass).as("false-positive rate %.3f", 1 - pass).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void fiveTimesTheErrorRateFailsInAtLeast99Percent() {
        double pass = passRate(202, 0.05, 20);
        report("error rate 5x", pass);
        assertThat(1 - pass).as("false-negative rate %.3f", pass).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void twiceTheLatencyFails() {
        double pass = passRate(303, 0.01, 40);
        report("latency 2x", pass);
        assertThat(1 - pass).as("false-negative rate %.3f", pass).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void anImprovementPasses() {
        double pass = passRate(404, 0.002, 10);
        report("errors /5, latency /2", pass);
        assertThat(pass).isGreaterThanOrEqualTo(0.99);
    }

    /**
     * Why the judge computes the tie-corrected, one-sided p-value itself: commons-math's two-sided test without
     * the tie correction, at the same alpha, misses most 5x error rates on 0/1 samples.
     */
    @Test
    void theUncorrectedTestWouldMissMostFiveTimesErrorRates() {
        Random r = new Random(505);
        MannWhitneyUTest uncorrected = new MannWhitneyUTest();
        int detectedUncorrected = 0;
        int detectedCorrected = 0;
        for (int t = 0; t < TRIALS; t++) {
            double[] canary = bernoulli(r, N, 0.05);
            double[] baseline = bernoulli(r, N, 0.01);
            if (uncorrected.mannWhitneyUTest(canary, baseline) < JUDGE.alpha()) {
                detectedUncorrected++;
            }
            if (CanaryJudge.pWorse(CanaryJudge.sortedSamples(canary, Double.POSITIVE_INFINITY),
                    CanaryJudge.sortedSamples(baseline, Double.POSITIVE_INFINITY), true) < JUDGE.alpha()) {
                detectedCorrected++;
            }
        }
        System.out.printf(Locale.ROOT, "canary judge accuracy: 5x error rate detected by commons-math two-sided "
                + "uncorrected %d/%d, tie-corrected one-sided %d/%d%n", detectedUncorrected, TRIALS, detectedCorrected, TRIALS);
        assertThat(detectedCorrected).isGreaterThan(detectedUncorrected);
        assertThat(detectedCorrected).isGreaterThanOrEqualTo(198);
    }
}
