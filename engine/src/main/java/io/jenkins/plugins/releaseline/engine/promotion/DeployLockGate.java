package io.jenkins.plugins.releaseline.engine.promotion;

/** One deployment at a time per environment; the oldest waiting promotion goes first. */
public final class DeployLockGate implements PromotionGate {

    public static final String NAME = "deploy lock";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GateVerdict evaluate(GateContext ctx) {
        Environment env = ctx.environment();
        Promotion p = ctx.promotion();
        if (!env.deployLock()) {
            return GateVerdict.pass(NAME, env.name() + " takes no deploy lock");
        }
        if (ctx.lockHolder().isPresent()) {
            LockHolder holder = ctx.lockHolder().get();
            if (holder.promotionId() == p.id()) {
                return GateVerdict.pass(NAME, "held by this promotion since " + holder.since());
            }
            String held = env.name() + " is being deployed by " + holder.describe() + " since " + holder.since();
            if (env.lockPolicy() == LockPolicy.REFUSE) {
                return GateVerdict.fail(NAME, held + "; " + env.name() + " refuses a second deployment instead of queueing, try again when it is done");
            }
            return GateVerdict.waitFor(NAME, held + (ctx.queuedAhead() > 0 ? "; " + ctx.queuedAhead() + " older waiting ahead" : ""));
        }
        if (ctx.queuedAhead() > 0) {
            if (env.lockPolicy() == LockPolicy.REFUSE) {
                return GateVerdict.fail(NAME, ctx.queuedAhead() + " older promotion(s) to " + env.name() + " are about to deploy; try again when they are done");
            }
            return GateVerdict.waitFor(NAME, ctx.queuedAhead() + " older promotion(s) to " + env.name() + " go first");
        }
        return GateVerdict.pass(NAME, "free");
    }
}
