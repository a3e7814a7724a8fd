package io.jenkins.plugins.releaseline.engine.promotion;

/**
 * One rule a promotion must satisfy. A gate reads only what {@link GateContext} holds (loaded once for all
 * gates), so evaluating every gate costs one round of queries.
 */
public interface PromotionGate {

    /** Short name shown before the reason: "previous environment", "soak time", ... */
    String name();

    GateVerdict evaluate(GateContext context);
}
