package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import java.util.List;

/** An analysis: its verdict, its score (0-100 over the metrics judged), a one-line reason, each metric's result. */
public record AnalysisReport(Verdict verdict, int score, String reason, List<MetricResult> metrics) {

    public AnalysisReport {
        metrics = List.copyOf(metrics);
    }

    /** The metrics that failed, by name, for messages such as "rolled back: error-rate failed". */
    public List<String> failedMetrics() {
        return metrics.stream().filter(m -> m.verdict() == Verdict.FAIL).map(MetricResult::metric).toList();
    }
}
