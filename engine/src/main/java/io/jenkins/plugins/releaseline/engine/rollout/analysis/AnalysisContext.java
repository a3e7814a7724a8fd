package io.jenkins.plugins.releaseline.engine.rollout.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one analysis looks at: the label of each side as the metric sources know it (a HAProxy server name, a
 * version, a colour: what {@code {{version}}} becomes in a query) and the time window since the step's weight
 * was set.
 */
public record AnalysisContext(String canaryLabel, String baselineLabel, Instant start, Instant end) {

    public AnalysisContext {
        Objects.requireNonNull(canaryLabel, "canaryLabel");
        Objects.requireNonNull(baselineLabel, "baselineLabel");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("window: ends (" + end + ") before it starts (" + start + ")");
        }
    }

    public Duration window() {
        return Duration.between(start, end);
    }

    /** The query with {@code {{version}}} set to {@code label} and {@code {{window}}} to the window in whole seconds (at least 1). */
    public String render(String query, String label, java.util.function.UnaryOperator<String> escape) {
        long seconds = Math.max(1, (window().toMillis() + 999) / 1000);
        return query.replace("{{version}}", escape.apply(label)).replace("{{window}}", seconds + "s");
    }
}
