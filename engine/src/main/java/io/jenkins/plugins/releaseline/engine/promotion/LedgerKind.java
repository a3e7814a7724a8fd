package io.jenkins.plugins.releaseline.engine.promotion;

/** The kinds of ledger entries: every attempt and every outcome. */
public enum LedgerKind {
    REQUESTED, APPROVED, REJECTED, REFUSED, STARTED, DEPLOYED, VERIFIED, FAILED, CANCELLED, ROLLED_BACK
}
