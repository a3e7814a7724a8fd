package io.jenkins.plugins.releaseline.engine.promotion;

import java.util.List;

/** Every gate's verdict for one promotion, not just the first failure. */
public record Evaluation(Promotion promotion, List<GateVerdict> verdicts) {

    public Evaluation {
        verdicts = List.copyOf(verdicts);
    }

    /** FAIL if any gate fails, else WAIT if any waits, else PASS. */
    public Verdict overall() {
        if (verdicts.stream().anyMatch(v -> v.verdict() == Verdict.FAIL)) {
            return Verdict.FAIL;
        }
        return verdicts.stream().anyMatch(v -> v.verdict() == Verdict.WAIT) ? Verdict.WAIT : Verdict.PASS;
    }

    public List<GateVerdict> failed() {
        return verdicts.stream().filter(v -> v.verdict() == Verdict.FAIL).toList();
    }

    public List<GateVerdict> waiting() {
        return verdicts.stream().filter(v -> v.verdict() == Verdict.WAIT).toList();
    }

    public GateVerdict of(String gate) {
        return verdicts.stream().filter(v -> v.gate().equals(gate)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("gate: no gate named '" + gate + "'"));
    }
}
