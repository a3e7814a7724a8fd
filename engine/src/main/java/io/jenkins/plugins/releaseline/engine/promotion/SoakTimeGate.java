package io.jenkins.plugins.releaseline.engine.promotion;

import java.time.Duration;
import java.time.Instant;

/** The digest has run in the previous environment for the soak time this environment asks for. */
public final class SoakTimeGate implements PromotionGate {

    public static final String NAME = "soak time";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GateVerdict evaluate(GateContext ctx) {
        Promotion p = ctx.promotion();
        Duration soak = ctx.environment().soak();
        if (p.rollback()) {
            return GateVerdict.pass(NAME, "not checked for a rollback");
        }
        if (soak.isZero() || ctx.previous() == null) {
            return GateVerdict.pass(NAME, p.environment() + " asks for no soak time");
        }
        if (ctx.previousGreen().isEmpty() || ctx.previousGreen().get().deployedAt() == null) {
            return GateVerdict.fail(NAME, "cannot start: " + p.artifact().digest().shortForm() + " has not run in "
                    + ctx.previous().name() + " (needs " + Durations.human(soak) + " there)");
        }
        Instant since = ctx.previousGreen().get().deployedAt();
        Instant due = since.plus(soak);
        if (!ctx.now().isBefore(due)) {
            return GateVerdict.pass(NAME, "ran " + Durations.human(Duration.between(since, ctx.now())) + " in "
                    + ctx.previous().name() + " (needs " + Durations.human(soak) + ")");
        }
        return GateVerdict.waitFor(NAME, Durations.human(Duration.between(ctx.now(), due)) + " left in "
                + ctx.previous().name() + " (needs " + Durations.human(soak) + ", until " + due + ")");
    }
}
