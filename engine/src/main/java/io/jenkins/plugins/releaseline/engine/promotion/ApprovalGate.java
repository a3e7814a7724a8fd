package io.jenkins.plugins.releaseline.engine.promotion;

import java.util.stream.Collectors;

/** Enough allowed approvers said yes; a rejection fails the promotion with the approver's comment. */
public final class ApprovalGate implements PromotionGate {

    public static final String NAME = "approvals";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GateVerdict evaluate(GateContext ctx) {
        Promotion p = ctx.promotion();
        ApprovalRule rule = ctx.environment().approvals();
        if (p.status() == PromotionStatus.REJECTED) {
            return GateVerdict.fail(NAME, "rejected" + (p.comment() == null ? "" : ": " + p.comment()));
        }
        if (p.rollback()) {
            return GateVerdict.pass(NAME, "not needed for a rollback");
        }
        if (!rule.needed()) {
            return GateVerdict.pass(NAME, p.environment() + " needs no approval");
        }
        int have = ctx.approvals().size();
        String who = ctx.approvals().stream().map(Approval::approver).collect(Collectors.joining(", "));
        if (have >= rule.required()) {
            return GateVerdict.pass(NAME, have + " of " + rule.required() + " (" + who + ")");
        }
        return GateVerdict.waitFor(NAME, have + " of " + rule.required() + " approvals" + (have > 0 ? " (" + who + ")" : "")
                + "; waiting for " + rule.describeApprovers()
                + (rule.separationOfDuties() ? ", not " + p.requestedBy() + ", who requested the promotion" : ""));
    }
}
