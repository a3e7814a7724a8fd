package io.jenkins.plugins.releaseline.engine.rollout.canary;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a canary rollout does, step by step, and how strict its analyses are.
 *
 * @param steps              weights with pauses, ending at 100%; an analysis runs at the end of every pause
 * @param maxFailedAnalyses  failed analyses that roll the canary back (1: the first failure does)
 * @param inconclusiveRetries how often an analysis without a judgement (no data, metric source down) is tried
 *                           again before {@code onInconclusive} applies
 * @param retryInterval      the wait before such a retry
 * @param onInconclusive     what happens when the retries are used up; never a promotion
 * @param analysisDeadline   the longest an analysis may go without a judgement (counting its retries); past it
 *                           the rollout pauses, and if nobody resumes it within the same time again, it aborts
 */
public record CanaryPlan(List<CanaryStep> steps, int maxFailedAnalyses, int inconclusiveRetries,
                         Duration retryInterval, OnInconclusive onInconclusive, Duration analysisDeadline) {

    /** Where a canary goes when its analyses keep saying nothing. */
    public enum OnInconclusive { ROLLBACK, PAUSE }

    public static final int DEFAULT_MAX_FAILED = 1;
    public static final int DEFAULT_RETRIES = 2;
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(15);

    public CanaryPlan {
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("plan: has no steps; write e.g. '10%/5m, 50%/10m, 100%'");
        }
        steps = List.copyOf(steps);
        for (int i = 0; i < steps.size(); i++) {
            CanaryStep s = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (s.isFinal() && !last) {
                throw new IllegalArgumentException("plan: step " + (i + 1) + ": 100% must be the last step");
            }
            if (!s.isFinal() && s.pause().isZero()) {
                throw new IllegalArgumentException("plan: step " + (i + 1) + ": " + s.weight()
                        + "% needs a pause to analyse, as in '" + s.weight() + "% for 5m'");
            }
        }
        if (!steps.get(steps.size() - 1).isFinal()) {
            throw new IllegalArgumentException("plan: the last step must be 100%");
        }
        if (maxFailedAnalyses < 1) {
            throw new IllegalArgumentException("maxFailedAnalyses: " + maxFailedAnalyses + " must be at least 1");
        }
        if (inconclusiveRetries < 0) {
            throw new IllegalArgumentException("inconclusiveRetries: " + inconclusiveRetries + " must not be negative");
        }
        requirePositive("retryInterval", retryInterval);
        requirePositive("analysisDeadline", analysisDeadline);
        if (onInconclusive == null) {
            throw new IllegalArgumentException("onInconclusive: choose ROLLBACK or PAUSE");
        }
    }

    private static void requirePositive(String field, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(field + ": " + d + " must be a positive duration such as '30s'");
        }
    }

    /** The steps with the default analysis settings. */
    public static CanaryPlan of(List<CanaryStep> steps) {
        return new CanaryPlan(steps, DEFAULT_MAX_FAILED, DEFAULT_RETRIES, DEFAULT_RETRY_INTERVAL,
                OnInconclusive.ROLLBACK, DEFAULT_DEADLINE);
    }

    /** The compact text form or a CodeDeploy-style name; see {@link CanaryPlanParser}. */
    public static CanaryPlan parse(String text) {
        return of(CanaryPlanParser.parse(text));
    }

    /** The structured form a pipeline passes: one map per step; see {@link CanaryPlanParser#parseStructured}. */
    public static CanaryPlan fromStructured(List<? extends Map<String, ?>> steps) {
        return of(CanaryPlanParser.parseStructured(steps));
    }

    public CanaryPlan withMaxFailedAnalyses(int n) {
        return new CanaryPlan(steps, n, inconclusiveRetries, retryInterval, onInconclusive, analysisDeadline);
    }

    public CanaryPlan withInconclusiveRetries(int n, Duration interval) {
        return new CanaryPlan(steps, maxFailedAnalyses, n, interval, onInconclusive, analysisDeadline);
    }

    public CanaryPlan withOnInconclusive(OnInconclusive action) {
        return new CanaryPlan(steps, maxFailedAnalyses, inconclusiveRetries, retryInterval, action, analysisDeadline);
    }

    public CanaryPlan withAnalysisDeadline(Duration deadline) {
        return new CanaryPlan(steps, maxFailedAnalyses, inconclusiveRetries, retryInterval, onInconclusive, deadline);
    }

    /** The compact text of the steps, which {@link #parse} reads back to the same steps. */
    public String stepsText() {
        return steps.stream().map(CanaryStep::toString).collect(Collectors.joining(", "));
    }
}
