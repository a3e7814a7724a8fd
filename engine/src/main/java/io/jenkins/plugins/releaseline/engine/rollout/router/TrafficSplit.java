package io.jenkins.plugins.releaseline.engine.rollout.router;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Percentages of traffic per backend, whole numbers from 0 to 100 that add up to 100.
 * Routers with finer or coarser units (HAProxy weights 0-256, Lambda alias weights 0.0-1.0) convert.
 */
public record TrafficSplit(Map<String, Integer> percent) {

    public TrafficSplit {
        if (percent == null || percent.isEmpty()) {
            throw new IllegalArgumentException("split: name at least one backend");
        }
        int sum = 0;
        for (Map.Entry<String, Integer> e : percent.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw new IllegalArgumentException("split: a backend name is empty");
            }
            Integer p = e.getValue();
            if (p == null || p < 0 || p > 100) {
                throw new IllegalArgumentException("split: weight " + p + " for '" + e.getKey() + "' is outside 0..100");
            }
            sum += p;
        }
        if (sum != 100) {
            throw new IllegalArgumentException("split: weights " + percent + " add up to " + sum + ", not 100");
        }
        percent = Collections.unmodifiableMap(new LinkedHashMap<>(percent));
    }

    /** All traffic to one backend, none to the others. */
    public static TrafficSplit all(String backend, Iterable<String> backends) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String b : backends) {
            m.put(b, b.equals(backend) ? 100 : 0);
        }
        if (!m.containsKey(backend)) {
            throw new IllegalArgumentException("split: '" + backend + "' is not one of the backends " + m.keySet());
        }
        return new TrafficSplit(m);
    }

    /** {@code canaryPercent} to {@code canary}, the rest to {@code stable}. */
    public static TrafficSplit of(String stable, String canary, int canaryPercent) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(stable, 100 - canaryPercent);
        m.put(canary, canaryPercent);
        return new TrafficSplit(m);
    }

    public int of(String backend) {
        return percent.getOrDefault(backend, 0);
    }
}
