package io.jenkins.plugins.releaseline.engine.audit;

import java.time.Instant;

/** One stored link of the audit chain. {@code hash} covers every other field, {@code previousHash} included. */
public record AuditRecord(
        long seq,
        Instant at,
        String controllerId,
        String principal,
        String action,
        String scope,
        String reason,
        String before,
        String after,
        String previousHash,
        String hash) {

    /** The hash this record should carry, computed from its contents. */
    public String expectedHash() {
        return ChainHash.of(this);
    }
}
