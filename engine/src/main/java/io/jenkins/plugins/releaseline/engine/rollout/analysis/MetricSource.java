package io.jenkins.plugins.releaseline.engine.rollout.analysis;

/**
 * Where a metric's samples come from: Prometheus, CloudWatch, or the engine's own HTTP probes. A source
 * measures both sides of one metric over the analysis window; it throws {@link MetricSourceException} when it
 * cannot (down, refused the query), which the analysis turns into "no data", never into a pass.
 */
public interface MetricSource {

    /** The id metrics refer to ({@link CanaryMetric#source()}). */
    String id();

    MetricSamples measure(CanaryMetric metric, AnalysisContext context);
}
