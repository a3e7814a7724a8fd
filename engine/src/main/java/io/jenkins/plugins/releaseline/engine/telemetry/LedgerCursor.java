package io.jenkins.plugins.releaseline.engine.telemetry;

/**
 * A high-water mark over an identity column that tolerates rows committed out of order: ids are taken in one
 * order and committed in another, so a gap may be a transaction still running. The cursor stops before a gap
 * until the gap has stood for {@code settleNanos} (a rolled-back insert leaves a gap for ever), then moves past it.
 */
final class LedgerCursor {

    private final long settleNanos;
    private long mark;
    private long gapAt = -1;
    private long gapSince;

    LedgerCursor(long settleNanos) {
        this.settleNanos = settleNanos;
    }

    long mark() {
        return mark;
    }

    /** Starts from a stored mark: everything up to it has been folded. */
    void restore(long storedMark) {
        mark = storedMark;
        gapAt = -1;
    }

    /** Whether row {@code id} (read in id order after the mark) may be folded now; if so the mark moves to it. */
    boolean accept(long id) {
        if (id <= mark) {
            return false;
        }
        if (id != mark + 1) {
            long now = System.nanoTime();
            if (gapAt != mark + 1) {
                gapAt = mark + 1;
                gapSince = now;
            }
            if (now - gapSince < settleNanos) {
                return false;
            }
        }
        gapAt = -1;
        mark = id;
        return true;
    }
}
