package io.jenkins.plugins.releaseline.engine.toggles;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A percentage rollout: {@code percentage} percent of targeting keys (by flagd's stable hash of the toggle key and
 * the targeting key) are served the {@code split}; the others get the environment's default variant. Raising the
 * percentage keeps everyone already in. A split of several variants is an A/B test: its weights sum to 100.
 */
public record Rollout(int percentage, List<VariantWeight> split) {

    public Rollout {
        if (percentage < 0 || percentage > 100) {
            throw new IllegalArgumentException("percentage: " + percentage + " is outside 0..100");
        }
        if (split == null || split.isEmpty()) {
            throw new IllegalArgumentException("split: name at least one variant to serve, as in on = 100");
        }
        int sum = 0;
        Set<String> seen = new HashSet<>();
        for (VariantWeight w : split) {
            if (w == null) {
                throw new IllegalArgumentException("split: contains an empty entry");
            }
            if (!seen.add(w.variant())) {
                throw new IllegalArgumentException("split: variant '" + w.variant() + "' is listed twice");
            }
            sum += w.weight();
        }
        if (sum != 100) {
            throw new IllegalArgumentException("split: the variant weights sum to " + sum + "; they must sum to 100");
        }
        split = List.copyOf(split);
    }

    public static Rollout of(int percentage, String variant) {
        return new Rollout(percentage, List.of(new VariantWeight(variant, 100)));
    }
}
