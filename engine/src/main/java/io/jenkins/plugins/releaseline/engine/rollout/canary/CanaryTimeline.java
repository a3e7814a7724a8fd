package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What a build page shows of a canary: its steps (done, current, to come), the canary's weight over time as
 * the router confirmed it, and every analysis with its verdict, score and metrics. {@link #toJson()} is the
 * document the page's chart reads.
 */
public record CanaryTimeline(String id, String state, String reason, String router, String stable, String canary,
                             List<StepView> steps, List<WeightPoint> weights, List<AnalysisView> analyses,
                             List<EventView> events) {

    public record StepView(int number, int weight, String pause, String status) {}

    public record WeightPoint(long at, int weight) {}

    public record AnalysisView(long at, int step, int weight, String verdict, Integer score, String message,
                               List<MetricResult> metrics) {}

    public record EventView(long at, String kind, String state, int weight, String principal, String message) {}

    public static CanaryTimeline of(CanaryRollout r, List<CanaryEvent> events) {
        List<StepView> steps = new ArrayList<>();
        List<CanaryStep> planned = r.spec().plan().steps();
        for (int i = 0; i < planned.size(); i++) {
            String status;
            if (i < r.stepIndex() || (i == r.stepIndex() && r.state() == CanaryState.SUCCEEDED)) {
                status = "done";
            } else if (i == r.stepIndex() && !r.state().terminal()) {
                status = r.state() == CanaryState.PAUSED ? "paused" : "current";
            } else if (i == r.stepIndex()) {
                status = r.state() == CanaryState.ROLLED_BACK ? "rolled back" : "aborted";
            } else {
                status = "to come";
            }
            CanaryStep s = planned.get(i);
            steps.add(new StepView(i + 1, s.weight(), s.isFinal() ? "" : CanaryPlanParser.formatDuration(s.pause()), status));
        }
        List<WeightPoint> weights = new ArrayList<>();
        List<AnalysisView> analyses = new ArrayList<>();
        List<EventView> views = new ArrayList<>();
        for (CanaryEvent e : events) {
            long at = e.at().toEpochMilli();
            switch (e.kind()) {
                case STARTED -> weights.add(new WeightPoint(at, 0));
                case WEIGHT_SET, SUCCEEDED, ROLLED_BACK, ABORTED -> weights.add(new WeightPoint(at, e.weight()));
                case ANALYSIS, ANALYSIS_DISCARDED -> analyses.add(new AnalysisView(at, e.stepIndex() + 1,
                        weightBefore(weights), e.verdict(), e.score(), e.message(), CanaryController.metricsOf(e)));
                default -> { }
            }
            views.add(new EventView(at, e.kind().name(), e.state().name(), e.weight(), e.principal(), e.message()));
        }
        return new CanaryTimeline(r.id(), r.state().name(), r.reason(), r.spec().router(), r.spec().stableBackend(),
                r.spec().canaryBackend(), steps, weights, analyses, views);
    }

    private static int weightBefore(List<WeightPoint> weights) {
        return weights.isEmpty() ? 0 : weights.get(weights.size() - 1).weight();
    }

    public String toJson() {
        return CanaryController.json(this);
    }
}
