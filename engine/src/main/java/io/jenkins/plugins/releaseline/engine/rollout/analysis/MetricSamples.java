package io.jenkins.plugins.releaseline.engine.rollout.analysis;

/**
 * What a source measured for one metric: the canary's and the baseline's samples, or why there are none
 * ({@code error}: the source was down, refused the query...). Samples may contain NaN; the judge drops them.
 */
public record MetricSamples(double[] canary, double[] baseline, String error) {

    public MetricSamples {
        canary = canary == null ? new double[0] : canary;
        baseline = baseline == null ? new double[0] : baseline;
    }

    public static MetricSamples of(double[] canary, double[] baseline) {
        return new MetricSamples(canary, baseline, null);
    }

    public static MetricSamples failed(String error) {
        return new MetricSamples(null, null, error == null ? "the source failed" : error);
    }

    public boolean failed() {
        return error != null;
    }
}
