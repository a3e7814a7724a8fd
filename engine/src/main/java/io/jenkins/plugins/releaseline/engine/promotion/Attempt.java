package io.jenkins.plugins.releaseline.engine.promotion;

/**
 * What {@link PromotionEngine#begin} decided: the deployment may start (the lock, if any, is now held by it),
 * it must wait, or it was refused (recorded as such).
 */
public record Attempt(Outcome outcome, Evaluation evaluation) {

    public enum Outcome { STARTED, WAITING, REFUSED }

    public Promotion promotion() {
        return evaluation.promotion();
    }
}
