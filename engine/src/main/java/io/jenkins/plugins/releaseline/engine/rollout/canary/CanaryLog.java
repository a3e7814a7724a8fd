package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lines a build log shows for a canary's events: each event, and under each analysis every metric value the
 * judge used (counts, means, p-value), not only the verdict.
 */
public final class CanaryLog {

    /** The lines of the events after {@code afterSeq}, and the last sequence number they cover. */
    public record Lines(int lastSeq, List<String> lines) {}

    private CanaryLog() {}

    public static Lines since(List<CanaryEvent> events, int afterSeq) {
        List<String> out = new ArrayList<>();
        int last = afterSeq;
        for (CanaryEvent e : events) {
            if (e.seq() <= afterSeq) {
                continue;
            }
            last = Math.max(last, e.seq());
            out.add("[canary] " + e.at() + " " + e.kind() + " (" + e.weight() + "%): " + e.message());
            for (MetricResult m : CanaryController.metricsOf(e)) {
                out.add(String.format(Locale.ROOT, "[canary]   %s %s: %s (canary n=%d mean=%s; baseline n=%d mean=%s; p=%s)",
                        m.metric(), m.verdict(), m.reason(), m.canaryCount(), m.canaryMean(), m.baselineCount(),
                        m.baselineMean(), m.pValue()));
            }
        }
        return new Lines(last, List.copyOf(out));
    }
}
