package io.jenkins.plugins.releaseline.engine.rollout.router;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions between a router's own weights and a {@link TrafficSplit} of whole percentages. */
public final class RouterWeights {

    private RouterWeights() {}

    /**
     * Weights in any unit to percentages adding up to 100, by largest remainder (ties to the earlier backend).
     * All weights zero means the router sends traffic nowhere: that is reported, not turned into a split.
     */
    public static TrafficSplit toSplit(String router, Map<String, Integer> weights) {
        long total = 0;
        for (int w : weights.values()) {
            if (w < 0) {
                throw new RouterException("router " + router + " reports a negative weight: " + weights, false);
            }
            total += w;
        }
        if (total == 0) {
            throw new RouterException("router " + router + " sends traffic to no backend: every weight is 0 " + weights, false);
        }
        Map<String, Integer> pct = new LinkedHashMap<>();
        List<Map.Entry<String, Double>> remainders = new ArrayList<>();
        int sum = 0;
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            double exact = e.getValue() * 100.0 / total;
            int floor = (int) Math.floor(exact);
            pct.put(e.getKey(), floor);
            sum += floor;
            remainders.add(Map.entry(e.getKey(), exact - floor));
        }
        remainders.sort(Comparator.comparing((Map.Entry<String, Double> e) -> e.getValue()).reversed());
        for (int i = 0; sum < 100; i++, sum++) {
            String k = remainders.get(i % remainders.size()).getKey();
            pct.put(k, pct.get(k) + 1);
        }
        return new TrafficSplit(pct);
    }

    /** Refuses a split that does not name exactly the router's backends. */
    public static void requireSameBackends(String router, List<String> backends, TrafficSplit split) {
        if (!new HashSet<>(backends).equals(split.percent().keySet())) {
            throw new IllegalArgumentException("split: " + split.percent().keySet() + " must name exactly the backends of router "
                    + router + ": " + backends);
        }
    }
}
