package io.jenkins.plugins.releaseline.engine.promotion;

/**
 * An older artifact never replaces a newer one, however the deployments were queued; only an explicit
 * rollback goes back. "Older" means the digest entered the line earlier.
 */
public final class NewerArtifactGate implements PromotionGate {

    public static final String NAME = "newer artifact";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GateVerdict evaluate(GateContext ctx) {
        Promotion p = ctx.promotion();
        if (p.rollback()) {
            return GateVerdict.pass(NAME, "an explicit rollback may go back");
        }
        if (ctx.current().isEmpty()) {
            return GateVerdict.pass(NAME, p.environment() + " runs no " + p.artifact().name() + " yet");
        }
        Deployment current = ctx.current().get();
        if (current.artifact().digest().equals(p.artifact().digest())) {
            return GateVerdict.pass(NAME, p.environment() + " runs this digest already");
        }
        if (ctx.currentIsNewer()) {
            return GateVerdict.fail(NAME, p.environment() + " already runs " + current.artifact() + ", which is newer than "
                    + p.artifact().version() + "; an older artifact replaces a newer one only by an explicit rollback");
        }
        return GateVerdict.pass(NAME, "replaces the older " + current.artifact());
    }
}
