package io.jenkins.plugins.releaseline.engine.promotion;

/** No freeze applies to this environment and job. A freeze waits: it lifts, and the promotion goes on. */
public final class FreezeGate implements PromotionGate {

    public static final String NAME = "freeze";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GateVerdict evaluate(GateContext ctx) {
        if (ctx.promotion().rollback()) {
            return GateVerdict.pass(NAME, "a rollback goes through a freeze");
        }
        FreezeCheck.Answer answer = ctx.freeze();
        if (answer == null) {
            return GateVerdict.pass(NAME, "no freeze board is installed");
        }
        if (!answer.blocked()) {
            return GateVerdict.pass(NAME, "no freeze on " + ctx.promotion().environment());
        }
        return GateVerdict.waitFor(NAME, ctx.promotion().environment() + " is frozen: " + String.join("; ", answer.reasons()));
    }
}
