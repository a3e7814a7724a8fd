package io.jenkins.plugins.releaseline.engine.rollout.lambda;

import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.GateVerdict;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The gate phase of a Lambda deployment: one look at the promotion's gates ({@link PromotionEngine#begin}, which
 * takes the deploy lock when every gate passes), again every 30 s until the deadline. Kept apart from
 * {@link LambdaDriver} so that a general promotion driver can take its place.
 */
final class LambdaGateWait {

    static final Duration POLL = Duration.ofSeconds(30);

    enum Kind { STARTED, WAITING, REFUSED }

    /** What one look decided; {@code until} is when to look again, {@code summary} the verdicts as logged. */
    record Result(Kind kind, Instant until, String why, String summary) {}

    private LambdaGateWait() {}

    /**
     * Looks at the gates once. Writes the verdicts to {@code log} when they differ from {@code lastSummary}.
     * A wait past {@code deadline} cancels the promotion and answers {@link Kind#REFUSED} naming the gates still
     * waiting.
     */
    static Result look(PromotionEngine promotions, long promotionId, String principal, Instant now, Instant deadline,
                       Duration gateTimeout, String lastSummary, Consumer<String> log) {
        Attempt a = promotions.begin(promotionId, true, principal);
        List<GateVerdict> verdicts = a.evaluation().verdicts();
        String summary = a.outcome() + ": " + verdicts.stream().map(GateVerdict::toString).collect(Collectors.joining("; "));
        if (!summary.equals(lastSummary)) {
            log.accept("Gates of promotion " + promotionId + ": " + a.outcome());
            verdicts.forEach(v -> log.accept("  " + v.gate() + ": " + v.verdict() + " - " + v.reason()));
        }
        return switch (a.outcome()) {
            case STARTED -> new Result(Kind.STARTED, now, "every gate passed", summary);
            case REFUSED -> new Result(Kind.REFUSED, now, "promotion " + promotionId + " refused: " + reasons(a.evaluation().failed()), summary);
            case WAITING -> {
                if (!now.isBefore(deadline)) {
                    String why = "still waiting after " + io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryPlanParser
                            .formatDuration(gateTimeout) + ": " + reasons(a.evaluation().waiting());
                    promotions.cancel(promotionId, principal, why);
                    yield new Result(Kind.REFUSED, now, "promotion " + promotionId + " " + why, summary);
                }
                Instant next = now.plus(POLL);
                yield new Result(Kind.WAITING, next.isAfter(deadline) ? deadline : next,
                        "waiting at the gates: " + reasons(a.evaluation().waiting()), summary);
            }
        };
    }

    private static String reasons(List<GateVerdict> verdicts) {
        return verdicts.stream().map(v -> v.gate() + ": " + v.reason()).collect(Collectors.joining("; "));
    }
}
