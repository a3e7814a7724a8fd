package io.jenkins.plugins.releaseline.engine.promotion;

import java.util.Objects;

/** One gate's answer and the reason a person can act on, e.g. "soak time: 3h 12m left in staging". */
public record GateVerdict(String gate, Verdict verdict, String reason) {

    public GateVerdict {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
    }

    public static GateVerdict pass(String gate, String reason) {
        return new GateVerdict(gate, Verdict.PASS, reason);
    }

    public static GateVerdict waitFor(String gate, String reason) {
        return new GateVerdict(gate, Verdict.WAIT, reason);
    }

    public static GateVerdict fail(String gate, String reason) {
        return new GateVerdict(gate, Verdict.FAIL, reason);
    }

    /** "[WAIT] soak time: 3h 12m left in staging" */
    @Override
    public String toString() {
        return "[" + verdict + "] " + gate + ": " + reason;
    }
}
