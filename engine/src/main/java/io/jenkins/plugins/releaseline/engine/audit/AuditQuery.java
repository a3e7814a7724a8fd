package io.jenkins.plugins.releaseline.engine.audit;

import java.time.Instant;

/**
 * Which records to list: an optional time range {@code [from, to)}, an optional scope (exactly, or with
 * everything below it: {@code job:team-a} also matches {@code job:team-a/app}), and a page: records after
 * {@code afterSeq}, at most {@code limit}, oldest first.
 */
public record AuditQuery(Instant from, Instant to, AuditScope scope, boolean includeNested, long afterSeq, int limit) {

    public static final int MAX_LIMIT = 1_000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: " + limit + " is outside 1.." + MAX_LIMIT);
        }
        if (afterSeq < 0) {
            throw new IllegalArgumentException("afterSeq: must not be negative");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from: " + from + " must be before to: " + to);
        }
    }

    public static AuditQuery all(int limit) {
        return new AuditQuery(null, null, null, false, 0, limit);
    }

    public AuditQuery between(Instant from, Instant to) {
        return new AuditQuery(from, to, scope, includeNested, afterSeq, limit);
    }

    public AuditQuery in(AuditScope scope, boolean includeNested) {
        return new AuditQuery(from, to, scope, includeNested, afterSeq, limit);
    }

    public AuditQuery after(long seq) {
        return new AuditQuery(from, to, scope, includeNested, seq, limit);
    }
}
