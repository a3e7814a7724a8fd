package io.jenkins.plugins.releaseline.engine.promotion;

import java.util.List;

/** A promotion that waits for approvers: who approved so far, how many are needed, who may. */
public record PendingApproval(Promotion promotion, List<Approval> approvals, ApprovalRule rule) {

    public int missing() {
        return Math.max(0, rule.required() - approvals.size());
    }
}
