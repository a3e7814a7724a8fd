package io.jenkins.plugins.releaseline.engine.promotion;

/**
 * The same digest succeeded in the previous environment. A rebuilt binary (same version, another digest) is
 * refused with both digests named.
 */
public final class PreviousEnvironmentGate implements PromotionGate {

    public static final String NAME = "previous environment";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GateVerdict evaluate(GateContext ctx) {
        Promotion p = ctx.promotion();
        if (p.rollback()) {
            return GateVerdict.pass(NAME, "not checked for a rollback: " + p.artifact().digest().shortForm() + " ran in "
                    + p.environment() + " before");
        }
        Environment previous = ctx.previous();
        if (previous == null) {
            return GateVerdict.pass(NAME, p.environment() + " is the first environment of the line");
        }
        Artifact a = p.artifact();
        if (ctx.previousGreen().isPresent()) {
            Promotion green = ctx.previousGreen().get();
            return GateVerdict.pass(NAME, previous.name() + " ran " + a.digest().shortForm() + " successfully (promotion "
                    + green.id() + ", " + green.status().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (ctx.previousSameVersion().isPresent()) {
            Promotion other = ctx.previousSameVersion().get();
            return GateVerdict.fail(NAME, "version " + a.version() + " was built again: " + previous.name() + " ran digest "
                    + other.artifact().digest().shortForm() + ".. but this is " + a.digest().shortForm()
                    + ".. ; promote the binary that ran in " + previous.name() + ", or take this one through "
                    + previous.name() + " first");
        }
        if (ctx.previousLatest().isPresent()) {
            Promotion last = ctx.previousLatest().get();
            return GateVerdict.fail(NAME, a.digest().shortForm() + " did not succeed in " + previous.name() + " (promotion "
                    + last.id() + " " + last.status().name().toLowerCase(java.util.Locale.ROOT) + "); fix it there first");
        }
        return GateVerdict.fail(NAME, a + " never ran in " + previous.name() + "; promote it to " + previous.name() + " first");
    }
}
