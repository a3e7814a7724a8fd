package io.jenkins.plugins.releaseline.engine.audit;

/**
 * The outcome of {@link AuditTrail#verify()}: whether the chain is intact, how many records were read, and
 * where it is not, the first bad record's sequence number and what is wrong with it.
 */
public record VerificationReport(boolean intact, long recordsChecked, long firstBadSeq, String problem) {

    static VerificationReport ok(long checked) {
        return new VerificationReport(true, checked, -1, null);
    }

    static VerificationReport broken(long checked, long seq, String problem) {
        return new VerificationReport(false, checked, seq, problem);
    }

    @Override
    public String toString() {
        return intact ? "audit trail intact (" + recordsChecked + " records)"
                : "audit trail broken at record " + firstBadSeq + ": " + problem;
    }
}
