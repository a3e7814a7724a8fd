package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A baseline of exactly 0 gives no ratio: the reason names both values instead of a percentage. */
class CanaryJudgeZeroBaselineTest {

    static final CanaryMetric ERRORS = CanaryMetric.of("error-rate", "prom", "errors", Direction.LOWER_IS_BETTER)
            .withTolerance(0.10, 0.005);

    @Test
    void aCanaryWorseThanABaselineOfZeroSaysBothValuesNotARatio() {
        double[] baseline = new double[30];
        double[] canary = new double[30];
        for (int i = 0; i < canary.length; i++) {
            canary[i] = 0.25 + (i % 5) * 0.01;
        }
        MetricResult r = CanaryJudge.defaults().judge(ERRORS, MetricSamples.of(canary, baseline));
        assertThat(r.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(r.reason()).startsWith("canary mean 0.27 is worse than baseline 0 (baseline 0, canary 0.27; p=")
                .contains("over the absolute tolerance of 0.005")
                .doesNotContain("infinitely", "inf%", "by ");
    }

    @Test
    void aCanaryEqualToABaselineOfZeroPassesWithoutARatio() {
        double[] zeros = new double[30];
        MetricResult r = CanaryJudge.defaults().judge(ERRORS, MetricSamples.of(zeros, Arrays.copyOf(zeros, 30)));
        assertThat(r.verdict()).isEqualTo(Verdict.PASS);
        assertThat(r.reason()).doesNotContain("infinitely", "inf%");
    }
}
