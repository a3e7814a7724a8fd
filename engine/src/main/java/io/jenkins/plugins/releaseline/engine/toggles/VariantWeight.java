package io.jenkins.plugins.releaseline.engine.toggles;

/** One variant's share of a split, in percent. */
public record VariantWeight(String variant, int weight) {
    public VariantWeight {
        variant = ToggleDefinition.requireVariantName("variant", variant);
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("weight: " + weight + " for variant '" + variant + "' is outside 0..100");
        }
    }
}
