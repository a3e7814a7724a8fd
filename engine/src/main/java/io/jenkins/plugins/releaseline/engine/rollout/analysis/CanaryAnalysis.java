package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The metrics of a canary with the sources that measure them and the judge: {@link #run} measures every
 * metric over the window and returns the judge's report. A source that fails makes its metrics "no data"
 * (the report names the source and its error), and so does a source that returns nothing ({@code null}); it
 * never stops the other metrics from being measured.
 */
public final class CanaryAnalysis {

    private static final Logger LOGGER = Logger.getLogger(CanaryAnalysis.class.getName());

    private final List<CanaryMetric> metrics;
    private final Map<String, MetricSource> sources;
    private final CanaryJudge judge;

    public CanaryAnalysis(List<CanaryMetric> metrics, List<? extends MetricSource> sources, CanaryJudge judge) {
        if (metrics == null || metrics.isEmpty()) {
            throw new IllegalArgumentException("analysis: name at least one metric, e.g. the built-in probes' error-rate");
        }
        this.metrics = List.copyOf(metrics);
        this.sources = new LinkedHashMap<>();
        for (MetricSource s : sources) {
            if (this.sources.put(s.id(), s) != null) {
                throw new IllegalArgumentException("analysis: two metric sources are called '" + s.id() + "'");
            }
        }
        List<String> names = new ArrayList<>();
        for (CanaryMetric m : this.metrics) {
            if (!this.sources.containsKey(m.source())) {
                throw new IllegalArgumentException("metric " + m.name() + ": source '" + m.source()
                        + "' is not configured; configured sources: " + this.sources.keySet());
            }
            if (names.contains(m.name())) {
                throw new IllegalArgumentException("metric " + m.name() + ": is named twice; give each metric its own name");
            }
            names.add(m.name());
        }
        this.judge = Objects.requireNonNull(judge, "judge");
    }

    public List<CanaryMetric> metrics() {
        return metrics;
    }

    public AnalysisReport run(AnalysisContext context) {
        List<CanaryJudge.Input> inputs = new ArrayList<>(metrics.size());
        for (CanaryMetric m : metrics) {
            MetricSource source = sources.get(m.source());
            MetricSamples samples;
            try {
                samples = source.measure(m, context);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "canary metric " + m.name() + ": source " + source.id() + " failed: " + e.getMessage());
                samples = MetricSamples.failed(source.id() + ": " + e.getMessage());
            }
            if (samples == null) {
                LOGGER.log(Level.WARNING, "canary metric " + m.name() + ": source " + source.id() + " returned nothing");
                samples = MetricSamples.failed(source.id() + ": returned nothing");
            }
            inputs.add(new CanaryJudge.Input(m, samples));
        }
        return judge.judge(inputs);
    }
}
