package io.jenkins.plugins.releaseline.engine.rollout.canary;

import io.jenkins.plugins.releaseline.engine.rollout.analysis.AnalysisContext;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryMetric;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSamples;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSource;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.MetricSourceException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * A metric source for the state-machine tests that answers from a script: {@code good} (canary like the
 * baseline), {@code bad} (canary errors 10x), {@code empty} (no samples), {@code down} (the source fails).
 * After the script, it repeats its last answer. A hook runs during a measurement (e.g. an abort from "outside").
 */
final class CanaryScriptedSource implements MetricSource {

    private final Deque<String> script = new ArrayDeque<>();
    private final Random random = new Random(42);
    private String last = "good";
    final List<AnalysisContext> contexts = new ArrayList<>();
    volatile Runnable duringMeasure;

    CanaryScriptedSource(String... answers) {
        script.addAll(List.of(answers));
    }

    @Override
    public String id() {
        return "scripted";
    }

    @Override
    public synchronized MetricSamples measure(CanaryMetric metric, AnalysisContext context) {
        contexts.add(context);
        Runnable hook = duringMeasure;
        if (hook != null) {
            duringMeasure = null;
            hook.run();
        }
        String answer = script.isEmpty() ? last : script.poll();
        last = answer;
        return switch (answer) {
            case "good" -> {
                double[] same = errors(0.01);
                yield MetricSamples.of(same, same.clone());
            }
            case "bad" -> MetricSamples.of(errors(0.10), errors(0.01));
            case "empty" -> MetricSamples.of(new double[0], new double[0]);
            case "down" -> throw new MetricSourceException("Prometheus at http://127.0.0.1:9 is unreachable: ConnectException");
            default -> throw new IllegalArgumentException(answer);
        };
    }

    private double[] errors(double p) {
        double[] out = new double[500];
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextDouble() < p ? 1 : 0;
        }
        return out;
    }
}
