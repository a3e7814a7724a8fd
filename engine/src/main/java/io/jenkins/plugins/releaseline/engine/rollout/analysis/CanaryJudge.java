package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Judges a canary against its baseline, metric by metric, then as a whole.
 *
 * <p>Per metric: NaN samples are dropped (no data); an infinite sample is the worst value in the metric's bad
 * direction ({@link #worst(Direction)}), so it raises a mean or a high percentile to infinity and ranks worst
 * in the test; too few samples on a side give the metric's
 * {@link NoData} outcome (inconclusive by default, never a pass); a threshold is checked on the canary's
 * aggregate; and a one-sided Mann-Whitney U test asks whether the canary is worse than the baseline. A metric
 * fails the comparison only when the difference is significant ({@code p < alpha}) <em>and</em> the canary's
 * mean is worse by more than the metric's tolerance: a large sample makes tiny differences significant, and
 * those are not worth a rollback. The test is one-sided in the metric's bad direction, so an improvement
 * never fails.
 *
 * <p>The U statistic is the one {@code org.apache.commons.math3.stat.inference.MannWhitneyUTest} computes
 * (a cross-check in the tests holds them equal). Its p-value is computed here because commons-math 3.6.1 only
 * offers the two-sided test, reports {@code max(U1, U2)} (losing which side is larger), and leaves out the
 * tie correction of the variance. Error-rate samples are 0 or 1, almost all ties; without the correction
 * the test overstates the variance about tenfold and misses a canary with five times the errors.
 *
 * <p>The score is the weighted share of judged metrics that passed. Verdict: a failed critical metric, or a
 * score below {@code marginalScore}, fails; otherwise any inconclusive metric makes the analysis
 * inconclusive; otherwise the score decides between pass and marginal. Every value used is logged.
 */
public final class CanaryJudge {

    private static final Logger LOGGER = Logger.getLogger(CanaryJudge.class.getName());
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private final double alpha;
    private final int passScore;
    private final int marginalScore;

    /** One metric and what its source measured. */
    public record Input(CanaryMetric metric, MetricSamples samples) {}

    public CanaryJudge(double alpha, int passScore, int marginalScore) {
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new IllegalArgumentException("alpha: " + alpha + " must be between 0 and 0.5 (e.g. 0.01)");
        }
        if (passScore < 1 || passScore > 100 || marginalScore < 0 || marginalScore > passScore) {
            throw new IllegalArgumentException("scores: pass " + passScore + " and marginal " + marginalScore
                    + " must satisfy 0 <= marginal <= pass <= 100");
        }
        this.alpha = alpha;
        this.passScore = passScore;
        this.marginalScore = marginalScore;
    }

    /** alpha 0.01, pass at 90, marginal at 75. */
    public static CanaryJudge defaults() {
        return new CanaryJudge(0.01, 90, 75);
    }

    public double alpha() {
        return alpha;
    }

    public AnalysisReport judge(List<Input> inputs) {
        // Metrics are independent: judge them in parallel (sorting the samples is most of the work), log in order.
        List<MetricResult> results = inputs.size() < 4
                ? inputs.stream().map(in -> judge(in.metric(), in.samples())).toList()
                : inputs.parallelStream().map(in -> judge(in.metric(), in.samples())).toList();
        double judgedWeight = 0;
        double passedWeight = 0;
        List<String> criticalFailures = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> inconclusive = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            MetricResult r = results.get(i);
            LOGGER.info(() -> describe(r));
            switch (r.verdict()) {
                case PASS -> {
                    judgedWeight += in.metric().weight();
                    passedWeight += in.metric().weight();
                }
                case FAIL -> {
                    judgedWeight += in.metric().weight();
                    failures.add(r.metric());
                    if (in.metric().critical()) {
                        criticalFailures.add(r.metric());
                    }
                }
                default -> inconclusive.add(r.metric());
            }
        }
        int score = judgedWeight == 0 ? 0 : (int) Math.floor(100 * passedWeight / judgedWeight + 1e-9);
        Verdict verdict;
        String reason;
        if (inputs.isEmpty()) {
            verdict = Verdict.INCONCLUSIVE;
            reason = "no metrics to judge";
        } else if (!criticalFailures.isEmpty()) {
            verdict = Verdict.FAIL;
            reason = "critical metric failed: " + String.join(", ", criticalFailures);
        } else if (judgedWeight > 0 && score < marginalScore) {
            verdict = Verdict.FAIL;
            reason = "score " + score + " is below " + marginalScore + "; failed: " + String.join(", ", failures);
        } else if (!inconclusive.isEmpty()) {
            verdict = Verdict.INCONCLUSIVE;
            reason = "no judgement for: " + String.join(", ", inconclusive);
        } else if (score >= passScore) {
            verdict = Verdict.PASS;
            reason = failures.isEmpty() ? "all " + results.size() + " metrics passed"
                    : "score " + score + " (failed: " + String.join(", ", failures) + ")";
        } else {
            verdict = Verdict.MARGINAL;
            reason = "score " + score + " is between " + marginalScore + " and " + passScore + "; failed: "
                    + String.join(", ", failures);
        }
        LOGGER.info("canary analysis: " + verdict + " (score " + score + "): " + reason);
        return new AnalysisReport(verdict, score, reason, results);
    }

    /** The judgement of one metric. */
    public MetricResult judge(CanaryMetric m, MetricSamples samples) {
        if (samples == null) {
            return noData(m, "no data: the source returned nothing", 0, 0, 0);
        }
        if (samples.failed()) {
            return noData(m, "no data: " + samples.error(), 0, 0, 0);
        }
        double worst = worst(m.direction());
        double[] canary = sortedSamples(samples.canary(), worst);
        double[] baseline = m.compare() ? sortedSamples(samples.baseline(), worst) : new double[0];
        int dropped = samples.canary().length - canary.length
                + (m.compare() ? samples.baseline().length - baseline.length : 0);
        if (canary.length < m.minSamples() || (m.compare() && baseline.length < m.minSamples())) {
            String why = (canary.length == 0 && (!m.compare() || baseline.length == 0) ? "no data" : "too little data")
                    + ": canary " + canary.length + (m.compare() ? ", baseline " + baseline.length : "")
                    + " samples, " + m.minSamples() + " needed" + (m.compare() ? " on each side" : "")
                    + (dropped > 0 ? " (" + dropped + " NaN dropped)" : "");
            return noData(m, why, canary.length, baseline.length, dropped);
        }
        int canaryWorst = countOf(canary, worst);
        int baselineWorst = countOf(baseline, worst);
        double canaryMean = mean(canary);
        double canaryValue = m.aggregate().of(canary, canaryMean);
        double baselineMean = m.compare() ? mean(baseline) : Double.NaN;
        double baselineValue = m.compare() ? m.aggregate().of(baseline, baselineMean) : Double.NaN;
        boolean lowerBetter = m.direction() == Direction.LOWER_IS_BETTER;
        String infinite = (canaryWorst > 0 ? "; " + canaryWorst + " of " + canary.length + " canary samples " + fmt(worst) : "")
                + (baselineWorst > 0 ? "; " + baselineWorst + " of " + baseline.length + " baseline samples " + fmt(worst) : "");
        List<String> problems = new ArrayList<>();
        if (m.threshold() != null) {
            double limit = m.threshold();
            if (lowerBetter ? canaryValue > limit : canaryValue < limit) {
                problems.add("canary " + m.aggregate().label() + " " + fmt(canaryValue) + " is "
                        + (lowerBetter ? "over" : "under") + " the limit " + fmt(limit));
            }
        }
        double p = Double.NaN;
        double effect = Double.NaN;
        boolean undecided = false;
        String meanNote = "";
        if (m.compare()) {
            boolean offScale = canaryWorst + baselineWorst > 0;
            if (offScale) {
                // The off-scale samples are judged like errors: is the canary's share of them larger?
                double canaryShare = canaryWorst / (double) canary.length;
                double baselineShare = baselineWorst / (double) baseline.length;
                double pShare = pWorse(indicator(canary, worst), indicator(baseline, worst), true);
                double shareEffect = baselineShare > 0 ? (canaryShare - baselineShare) / baselineShare
                        : canaryShare > 0 ? Double.POSITIVE_INFINITY : 0;
                if (pShare < alpha && canaryShare > baselineShare && shareEffect > m.tolerance()) {
                    problems.add("canary has " + canaryWorst + " of " + canary.length + " samples " + fmt(worst)
                            + " against " + baselineWorst + " of " + baseline.length + " for the baseline (p="
                            + fmt(pShare) + " < " + fmt(alpha) + ")");
                    p = pShare;
                    effect = shareEffect;
                }
            }
            double pRank = pWorse(canary, baseline, lowerBetter);
            // Infinite means do not subtract: with infinities the means compared are those of the finite samples;
            // a side with nothing finite compares by its share of infinities.
            double canaryFinite = offScale ? finiteMean(canary) : canaryMean;
            double baselineFinite = offScale ? finiteMean(baseline) : baselineMean;
            double worse;
            double rankEffect;
            if (Double.isNaN(canaryFinite) || Double.isNaN(baselineFinite)) {
                double d = canaryWorst / (double) canary.length - baselineWorst / (double) baseline.length;
                worse = d > 0 ? Double.POSITIVE_INFINITY : d < 0 ? Double.NEGATIVE_INFINITY : Double.NaN;
                rankEffect = worse;
                undecided = Double.isNaN(worse);
            } else {
                worse = lowerBetter ? canaryFinite - baselineFinite : baselineFinite - canaryFinite;
                rankEffect = baselineFinite != 0 ? worse / Math.abs(baselineFinite)
                        : worse > 0 ? Double.POSITIVE_INFINITY : worse < 0 ? Double.NEGATIVE_INFINITY : 0;
            }
            String means = offScale ? "mean of the finite samples " : "mean ";
            if (!undecided && pRank < alpha && worse > m.absoluteTolerance() && rankEffect > m.tolerance()) {
                problems.add(Double.isInfinite(rankEffect)
                        // no ratio against a baseline of 0 (or a canary worse only off the scale): say both values
                        ? "canary " + means + fmt(canaryFinite) + " is worse than baseline " + fmt(baselineFinite) + " (baseline "
                                + fmt(baselineFinite) + ", canary " + fmt(canaryFinite) + "; p=" + fmt(pRank) + " < " + fmt(alpha)
                                + "), over the absolute tolerance of " + fmt(m.absoluteTolerance())
                        : "canary " + means + fmt(canaryFinite) + " is worse than baseline " + fmt(baselineFinite)
                                + " by " + pct(rankEffect) + " (p=" + fmt(pRank) + " < " + fmt(alpha)
                                + "), over the tolerance of " + pct(m.tolerance()));
            }
            if (Double.isNaN(p)) {
                p = pRank;
                effect = rankEffect;
            }
            meanNote = "; " + means + fmt(canaryFinite) + " vs baseline " + fmt(baselineFinite) + " ("
                    + (Double.isInfinite(rankEffect) ? (rankEffect > 0 ? "worse" : "better")
                            : rankEffect > 0 ? pct(rankEffect) + " worse" : rankEffect < 0 ? pct(-rankEffect).substring(1) + " better"
                            : "no worse")
                    + ", p=" + fmt(pRank) + ")";
        }
        Verdict verdict = !problems.isEmpty() ? Verdict.FAIL : undecided ? Verdict.INCONCLUSIVE : Verdict.PASS;
        String reason = !problems.isEmpty() ? String.join("; ", problems) + infinite
                : undecided ? "no judgement: every canary and baseline sample is " + fmt(worst)
                        + ", so the comparison cannot tell them apart"
                : "canary " + m.aggregate().label() + " " + fmt(canaryValue)
                        + (m.threshold() != null ? " within the limit " + fmt(m.threshold()) : "")
                        + meanNote + infinite;
        return new MetricResult(m.name(), verdict, reason, canary.length, baseline.length, dropped, canaryValue,
                baselineValue, canaryMean, baselineMean, p, effect);
    }

    /**
     * The worst value in the metric's bad direction, which every infinite sample becomes. An infinity is a
     * measurement that went off the scale, never "no data": Prometheus' {@code histogram_quantile} answers
     * {@code +Inf} exactly when the quantile lies past the last bucket (the slow canary), a ratio over a
     * vanished denominator is infinite. When higher is worse, {@code +Inf} is the worst value; {@code -Inf}
     * (a latency or error rate below every finite value, e.g. from a counter reset) is no real measurement and
     * is never read as infinitely good: it is taken as {@code +Inf} too. Symmetrically, when lower is worse,
     * both infinities count as {@code -Inf}. Only NaN means no data.
     */
    static double worst(Direction direction) {
        return direction == Direction.HIGHER_IS_BETTER ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    private static MetricResult noData(CanaryMetric m, String why, int nc, int nb, int dropped) {
        Verdict v = m.noData() == NoData.FAIL ? Verdict.FAIL : Verdict.INCONCLUSIVE;
        return new MetricResult(m.name(), v, why, nc, nb, dropped, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN);
    }

    /**
     * One-sided p-value that the canary's values are stochastically larger (or smaller, when higher is better)
     * than the baseline's: Mann-Whitney U with average ranks for ties, the tie-corrected variance and a
     * continuity correction, by the normal approximation (the samples here are always 20 or more a side).
     */
    static double pWorse(double[] canarySorted, double[] baselineSorted, boolean canaryLargerIsWorse) {
        RankSum ranks = uOfFirst(canarySorted, baselineSorted);
        double u = ranks.u();
        double n1 = canarySorted.length;
        double n2 = baselineSorted.length;
        double n = n1 + n2;
        double tieSum = ranks.tieSum();
        double variance = n1 * n2 / 12.0 * ((n + 1) - tieSum / (n * (n - 1)));
        if (variance <= 0) {
            return 1.0;
        }
        double expected = n1 * n2 / 2.0;
        double diff = canaryLargerIsWorse ? u - expected : expected - u;
        double z = (diff - 0.5) / Math.sqrt(variance);
        return 1.0 - STANDARD_NORMAL.cumulativeProbability(z);
    }

    /** U of the first sample and the tie term sum(t^3 - t) over groups of equal values. */
    record RankSum(double u, double tieSum) {}

    /**
     * U of the first sample: how many (first, second) pairs have the first larger, ties counting one half.
     * Walks both sorted arrays once.
     */
    static RankSum uOfFirst(double[] a, double[] b) {
        int i = 0;
        int j = 0;
        double rankSumA = 0;
        double tieSum = 0;
        long position = 0;
        while (i < a.length || j < b.length) {
            double v = i < a.length && (j >= b.length || a[i] <= b[j]) ? a[i] : b[j];
            int ca = 0;
            while (i < a.length && a[i] == v) {
                ca++;
                i++;
            }
            int cb = 0;
            while (j < b.length && b[j] == v) {
                cb++;
                j++;
            }
            double t = ca + cb;
            double averageRank = position + (t + 1) / 2.0;
            rankSumA += ca * averageRank;
            tieSum += t * t * t - t;
            position += (long) t;
        }
        return new RankSum(rankSumA - a.length * (a.length + 1.0) / 2.0, tieSum);
    }

    /** Few distinct values (error rates are 0 or 1) are counted rather than sorted. */
    private static final int COUNTED_DISTINCT = 8;

    /**
     * The samples the judge uses, ascending: NaN dropped (no data), either infinity replaced by {@code worst}
     * (see {@link #worst(Direction)}).
     */
    static double[] sortedSamples(double[] values, double worst) {
        double[] out = new double[values.length];
        double[] distinct = new double[COUNTED_DISTINCT];
        int[] counts = new int[COUNTED_DISTINCT];
        int k = 0;
        int n = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            if (Double.isInfinite(v)) {
                v = worst;
            }
            out[n++] = v;
            if (k >= 0) {
                int i = 0;
                while (i < k && distinct[i] != v) {
                    i++;
                }
                if (i < k) {
                    counts[i]++;
                } else if (k < COUNTED_DISTINCT) {
                    distinct[k] = v;
                    counts[k++] = 1;
                } else {
                    k = -1;
                }
            }
        }
        double[] finite = n == out.length ? out : Arrays.copyOf(out, n);
        if (k < 0) {
            Arrays.sort(finite);
            return finite;
        }
        // sort the few distinct values (insertion sort with their counts), then write each value count times
        for (int i = 1; i < k; i++) {
            for (int j = i; j > 0 && Double.compare(distinct[j - 1], distinct[j]) > 0; j--) {
                double dv = distinct[j];
                distinct[j] = distinct[j - 1];
                distinct[j - 1] = dv;
                int dc = counts[j];
                counts[j] = counts[j - 1];
                counts[j - 1] = dc;
            }
        }
        int at = 0;
        for (int i = 0; i < k; i++) {
            Arrays.fill(finite, at, at + counts[i], distinct[i]);
            at += counts[i];
        }
        return finite;
    }

    /** The mean; the worst value when there is one (ascending samples: it is first or last). */
    private static double mean(double[] sorted) {
        if (Double.isInfinite(sorted[0])) {
            return sorted[0];
        }
        if (Double.isInfinite(sorted[sorted.length - 1])) {
            return sorted[sorted.length - 1];
        }
        return finiteMean(sorted);
    }

    /** The mean of the finite samples; a sum that overflows is summed again in shares, so it never turns infinite. */
    private static double finiteMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        if (Double.isFinite(sum)) {
            return sum / n;
        }
        double mean = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                mean += v / n;
            }
        }
        return mean;
    }

    /** 1 for each sample equal to {@code x}, else 0, ascending. */
    private static double[] indicator(double[] sorted, double x) {
        double[] out = new double[sorted.length];
        int n = countOf(sorted, x);
        java.util.Arrays.fill(out, out.length - n, out.length, 1.0);
        return out;
    }

    private static int countOf(double[] values, double x) {
        int n = 0;
        for (double v : values) {
            if (v == x) {
                n++;
            }
        }
        return n;
    }

    static String describe(MetricResult r) {
        return String.format(Locale.ROOT,
                "canary metric %s: %s - %s [canary n=%d value=%s mean=%s; baseline n=%d value=%s mean=%s; p=%s; effect=%s; NaN dropped=%d]",
                r.metric(), r.verdict(), r.reason(), r.canaryCount(), fmt(r.canaryValue()), fmt(r.canaryMean()),
                r.baselineCount(), fmt(r.baselineValue()), fmt(r.baselineMean()), fmt(r.pValue()), fmt(r.effect()),
                r.droppedNaN());
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v != 0 && Math.abs(v) < 0.001) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static String pct(double relative) {
        if (Double.isInfinite(relative)) {
            return relative > 0 ? "+inf%" : "-inf%";
        }
        return String.format(Locale.ROOT, "%+.1f%%", relative * 100);
    }
}
