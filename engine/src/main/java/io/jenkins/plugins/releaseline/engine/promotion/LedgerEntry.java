package io.jenkins.plugins.releaseline.engine.promotion;

import java.time.Instant;
import java.util.List;

/** One line of the ledger: an attempt or an outcome, who, when, from which build, and the gates' verdicts. */
public record LedgerEntry(long id, long promotionId, String environment, Artifact artifact, LedgerKind kind,
                          String principal, Instant at, String buildLink, String comment, List<GateVerdict> verdicts) {
}
