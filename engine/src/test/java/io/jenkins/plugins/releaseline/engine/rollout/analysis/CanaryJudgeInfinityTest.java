package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import static io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryJudgeTest.logNormal;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Infinite samples are the worst value in the metric's bad direction, never "no data"; NaN and a source that
 * returns nothing are no data, never a pass.
 */
class CanaryJudgeInfinityTest {

    private static final double INF = Double.POSITIVE_INFINITY;
    private final CanaryJudge judge = CanaryJudge.defaults();

    static final CanaryMetric P99_LATENCY = CanaryMetric.of("p99-latency", "prom", "histogram_quantile(...)",
            Direction.LOWER_IS_BETTER).withThreshold(Aggregate.P99, 0.5).withCompare(false);
    static final CanaryMetric SUCCESS = CanaryMetric.of("success-rate", "prom", "success", Direction.HIGHER_IS_BETTER);

    /** histogram_quantile answers +Inf when the quantile lies past the last bucket: the slow canary. */
    @Test
    void aSlowCanaryWhoseQuantileIsPastTheLastBucketFails() {
        double[] canary = new double[30];
        Arrays.fill(canary, 0.129);
        Arrays.fill(canary, 20, 30, INF);
        MetricResult r = judge.judge(P99_LATENCY, MetricSamples.of(canary, null));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.canaryCount()).isEqualTo(30);
        assertThat(r.droppedNaN()).isZero();
        assertThat(r.canaryValue()).isEqualTo(INF);
        assertThat(r.reason()).isEqualTo("canary p99 inf is over the limit 0.5; 10 of 30 canary samples inf");
    }

    @Test
    void everyAggregateOfTheCanaryCountsInfinityAsTheWorstValue() {
        double[] canary = new double[30];
        Arrays.fill(canary, 0.1);
        canary[7] = INF;
        for (Aggregate a : Aggregate.values()) {
            MetricResult r = judge.judge(P99_LATENCY.withThreshold(a, 0.5), MetricSamples.of(canary.clone(), null));
            // one sample in 30 is above the 50th, 90th and 95th percentile but is the 99th and the max, and the mean
            boolean reaches = a == Aggregate.MEAN || a == Aggregate.P99 || a == Aggregate.MAX;
            assertThat(r.canaryValue()).as(a.label()).isEqualTo(reaches ? INF : 0.1);
            assertThat(r.verdict()).as(a.label()).isEqualTo(reaches ? Verdict.FAIL : Verdict.PASS);
        }
        Arrays.fill(canary, 0, 16, INF);
        for (Aggregate a : Aggregate.values()) {
            assertThat(judge.judge(P99_LATENCY.withThreshold(a, 0.5), MetricSamples.of(canary.clone(), null)).verdict())
                    .as("16 of 30 infinite: even the median is infinite (%s)", a.label()).isEqualTo(Verdict.FAIL);
        }
    }

    /** Where higher is better, either infinity in the canary is the worst value too: -Inf, under any limit. */
    @Test
    void whereHigherIsBetterEitherInfinityIsTheWorstValue() {
        CanaryMetric floor = SUCCESS.withThreshold(Aggregate.MEAN, 0.9).withCompare(false);
        for (double inf : new double[] {INF, Double.NEGATIVE_INFINITY}) {
            double[] canary = new double[30];
            Arrays.fill(canary, 0.99);
            canary[3] = inf;
            MetricResult r = judge.judge(floor, MetricSamples.of(canary, null));
            assertThat(r.verdict()).as("%s", inf).isEqualTo(Verdict.FAIL);
            assertThat(r.canaryValue()).isEqualTo(Double.NEGATIVE_INFINITY);
            assertThat(r.reason()).startsWith("canary mean -inf is under the limit 0.9");
        }
        // and a lower-is-better metric never reads -Inf as infinitely good
        double[] canary = new double[30];
        Arrays.fill(canary, 0.2);
        canary[0] = Double.NEGATIVE_INFINITY;
        MetricResult r = judge.judge(P99_LATENCY.withThreshold(Aggregate.MEAN, 0.5), MetricSamples.of(canary, null));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.canaryMean()).isEqualTo(INF);
    }

    @Test
    void theComparisonWithTheBaselineRanksInfinityWorst() {
        Random r = new Random(21);
        double[] baseline = logNormal(r, 100, 20);
        double[] canary = logNormal(r, 100, 20);
        Arrays.fill(canary, 0, 10, INF);
        CanaryMetric latency = CanaryJudgeTest.LATENCY;
        MetricResult worse = judge.judge(latency, MetricSamples.of(canary, baseline));
        assertThat(worse.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(worse.canaryMean()).isEqualTo(INF);
        assertThat(worse.effect()).isEqualTo(INF);
        assertThat(worse.reason()).startsWith("canary has 10 of 100 samples inf against 0 of 100 for the baseline (p=")
                .endsWith("; 10 of 100 canary samples inf");

        // the same infinities in the baseline make the canary the better one
        MetricResult better = judge.judge(latency, MetricSamples.of(baseline, canary));
        assertThat(better.verdict()).as(better.reason()).isEqualTo(Verdict.PASS);
        assertThat(better.reason()).contains("; mean of the finite samples ").endsWith("; 10 of 100 baseline samples inf");

        // fewer infinities in the canary do not hide a finite rest three times slower
        double[] fewerButSlow = logNormal(r, 100, 60);
        fewerButSlow[0] = INF;
        double[] more = logNormal(r, 100, 20);
        Arrays.fill(more, 0, 2, INF);
        MetricResult slow = judge.judge(latency, MetricSamples.of(fewerButSlow, more));
        assertThat(slow.verdict()).as(slow.reason()).isEqualTo(Verdict.FAIL);
        assertThat(slow.reason()).startsWith("canary mean of the finite samples ");

        // equal shares of infinities: the finite rest decides
        double[] slowRest = logNormal(r, 100, 60);
        Arrays.fill(slowRest, 0, 10, INF);
        double[] fastRest = logNormal(r, 100, 20);
        Arrays.fill(fastRest, 0, 10, INF);
        MetricResult slower = judge.judge(latency, MetricSamples.of(slowRest, fastRest));
        assertThat(slower.verdict()).as(slower.reason()).isEqualTo(Verdict.FAIL);
        assertThat(judge.judge(latency, MetricSamples.of(fastRest, slowRest)).verdict()).isEqualTo(Verdict.PASS);

        // a larger share of infinities in the canary is worse, whatever the finite rest
        double[] moreInf = logNormal(r, 100, 5);
        Arrays.fill(moreInf, 0, 40, INF);
        assertThat(judge.judge(latency, MetricSamples.of(moreInf, fastRest)).verdict()).isEqualTo(Verdict.FAIL);

        // nothing but infinities on both sides: nothing to compare, never a pass
        double[] allInf = new double[50];
        Arrays.fill(allInf, INF);
        MetricResult none = judge.judge(latency, MetricSamples.of(allInf, allInf.clone()));
        assertThat(none.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(none.reason()).startsWith("no judgement: every canary and baseline sample is inf");
        assertThat(judge.judge(latency.withThreshold(Aggregate.P50, 100.0), MetricSamples.of(allInf, allInf.clone())).verdict())
                .isEqualTo(Verdict.FAIL);
    }

    @Test
    void higherIsBetterComparisonRanksInfinityAsTheLowest() {
        Random r = new Random(22);
        double[] baseline = logNormal(r, 100, 200);
        double[] canary = logNormal(r, 100, 200);
        Arrays.fill(canary, 0, 15, INF);
        MetricResult m = judge.judge(SUCCESS, MetricSamples.of(canary, baseline));
        assertThat(m.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(m.canaryMean()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(m.reason()).contains("15 of 100 canary samples -inf");
    }

    /**
     * Property, over random samples, metrics and aggregates: turning canary samples into infinities never
     * improves the metric's verdict (a failure stays a failure) nor its canary value, and the result is never
     * "no data".
     */
    @Test
    void infinitiesInTheCanaryNeverImproveTheVerdict() {
        Random r = new Random(23);
        for (int trial = 0; trial < 2_000; trial++) {
            Direction d = r.nextBoolean() ? Direction.LOWER_IS_BETTER : Direction.HIGHER_IS_BETTER;
            Aggregate a = Aggregate.values()[r.nextInt(Aggregate.values().length)];
            int n = 20 + r.nextInt(80);
            double[] baseline = logNormal(r, n, 20);
            double[] canary = logNormal(r, n, 10 + r.nextInt(30));
            Double limit = r.nextBoolean() ? null : 5 + r.nextDouble() * 60;
            boolean compare = limit == null || r.nextBoolean();
            CanaryMetric m = CanaryMetric.of("m", "s", "q", d).withThreshold(a, limit).withCompare(compare);
            MetricResult before = judge.judge(m, MetricSamples.of(canary.clone(), baseline.clone()));
            double[] broken = canary.clone();
            int k = 1 + r.nextInt(n);
            for (int i = 0; i < k; i++) {
                broken[r.nextInt(n)] = r.nextBoolean() ? INF : Double.NEGATIVE_INFINITY;
            }
            MetricResult after = judge.judge(m, MetricSamples.of(broken, baseline.clone()));
            String what = "trial " + trial + ": " + d + " " + a + " limit " + limit + " compare " + compare + " k " + k;
            assertThat(after.verdict()).as(what).isIn(Verdict.PASS, Verdict.FAIL);
            if (before.verdict() == Verdict.FAIL) {
                assertThat(after.verdict()).as(what).isEqualTo(Verdict.FAIL);
            }
            if (d == Direction.LOWER_IS_BETTER) {
                assertThat(after.canaryValue()).as(what).isGreaterThanOrEqualTo(before.canaryValue());
                assertThat(after.canaryMean()).as(what).isEqualTo(INF);
            } else {
                assertThat(after.canaryValue()).as(what).isLessThanOrEqualTo(before.canaryValue());
                assertThat(after.canaryMean()).as(what).isEqualTo(Double.NEGATIVE_INFINITY);
            }
            assertThat(after.canaryCount()).as(what).isEqualTo(n);
        }
    }

    @Test
    void nanIsNoDataAndNeverPasses() {
        double[] nans = new double[40];
        Arrays.fill(nans, Double.NaN);
        MetricResult r = judge.judge(P99_LATENCY, MetricSamples.of(nans, null));
        assertThat(r.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(r.reason()).startsWith("no data").contains("40 NaN dropped");
    }

    @Test
    void aSourceThatReturnsNothingIsNoDataNotACrash() {
        MetricSource nothing = new MetricSource() {
            @Override
            public String id() {
                return "prom";
            }

            @Override
            public MetricSamples measure(CanaryMetric metric, AnalysisContext context) {
                return null;
            }
        };
        CanaryAnalysis analysis = new CanaryAnalysis(List.of(P99_LATENCY), List.of(nothing), judge);
        AnalysisReport report = analysis.run(new AnalysisContext("canary", "stable", Instant.EPOCH, Instant.EPOCH.plusSeconds(60)));
        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.metrics().get(0).reason()).isEqualTo("no data: prom: returned nothing");
        assertThat(judge.judge(P99_LATENCY.withNoData(NoData.FAIL), null).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(judge.judge(P99_LATENCY, null).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }
}
