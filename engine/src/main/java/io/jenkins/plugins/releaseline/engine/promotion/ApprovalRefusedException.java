package io.jenkins.plugins.releaseline.engine.promotion;

/**
 * An approval or a rejection the environment's {@link ApprovalRule} does not accept: the approver started the
 * build and duties are separated, is not among the approvers, already approved, or the approvals needed are
 * all given. The input is well formed; the rule says no. Nothing changed. A subclass of
 * {@link IllegalArgumentException}, so callers that report bad input keep reporting it.
 */
public final class ApprovalRefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ApprovalRefusedException(String message) {
        super(message);
    }
}
