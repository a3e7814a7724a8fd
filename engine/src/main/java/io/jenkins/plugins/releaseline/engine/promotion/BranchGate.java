package io.jenkins.plugins.releaseline.engine.promotion;

import java.util.stream.Collectors;

/** The build's branch may deploy to this environment. */
public final class BranchGate implements PromotionGate {

    public static final String NAME = "branch";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GateVerdict evaluate(GateContext ctx) {
        Environment env = ctx.environment();
        Promotion p = ctx.promotion();
        if (p.rollback()) {
            return GateVerdict.pass(NAME, "not checked for a rollback");
        }
        if (env.branches().isEmpty()) {
            return GateVerdict.pass(NAME, env.name() + " accepts every branch");
        }
        String allowed = env.branches().stream().map(BranchPattern::glob).collect(Collectors.joining(", "));
        if (p.branch() == null) {
            return GateVerdict.fail(NAME, "the build names no branch and " + env.name() + " accepts only " + allowed
                    + "; run it from a multibranch job or pass the branch");
        }
        if (env.allowsBranch(p.branch())) {
            return GateVerdict.pass(NAME, p.branch() + " may deploy to " + env.name());
        }
        return GateVerdict.fail(NAME, "branch " + p.branch() + " may not deploy to " + env.name() + "; allowed: " + allowed);
    }
}
