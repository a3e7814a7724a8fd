package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.rollout.analysis.AnalysisContext;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSamples;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSourceException;
import java.util.Objects;

/**
 * A metric source for Lambda canaries with no metric service to ask: invokes each side's version directly
 * ({@code {{version}}} labels are version numbers) {@code invocations} times with the metric's query as the
 * payload, and gives one sample per invocation: 1 when Lambda reported a {@code FunctionError}, else 0. So a
 * metric on this source is an error rate measured by the analysis itself, not by the alias's real traffic.
 */
public final class LambdaInvokeSource implements MetricSource {

    public static final String ID = "lambda-invoke";

    private final LambdaInvokeProbe probe;
    private final String function;
    private final int invocations;

    public LambdaInvokeSource(LambdaInvokeProbe probe, String function, int invocations) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.function = LambdaNames.function(function);
        if (invocations < 1 || invocations > 10_000) {
            throw new IllegalArgumentException("invocations: " + invocations + " is outside 1..10000 per side and analysis");
        }
        this.invocations = invocations;
    }

    /** The default check when a pipeline names no analysis: no invocation of the new version may fail. */
    public static CanaryMetric errorsMetric(String payload, int minInvocations) {
        return CanaryMetric.of("invoke-errors", ID, payload == null || payload.isBlank() ? "{}" : payload,
                        io.jenkins.plugins.releaseline.engine.rollout.analysis.Direction.LOWER_IS_BETTER)
                .withThreshold(io.jenkins.plugins.releaseline.engine.rollout.analysis.Aggregate.MEAN, 0.0)
                .withCompare(false)
                .withMinSamples(minInvocations)
                .withCritical(true);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public MetricSamples measure(CanaryMetric metric, AnalysisContext context) {
        double[] canary = errors(context.canaryLabel(), metric.query());
        double[] baseline = metric.compare() ? errors(context.baselineLabel(), metric.query()) : new double[0];
        return MetricSamples.of(canary, baseline);
    }

    private double[] errors(String version, String payload) {
        double[] out = new double[invocations];
        for (int i = 0; i < invocations; i++) {
            try {
                out[i] = probe.invoke(function, version, payload).failed() ? 1.0 : 0.0;
            } catch (LambdaDeployException e) {
                throw new MetricSourceException("invoking " + function + ":" + version + " failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Lambda invocations of " + function + " (" + invocations + " per side)";
    }
}
