package io.jenkins.plugins.releaseline.engine.promotion;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One look at a requested promotion's gates, for a driver that waits for them: {@link PromotionEngine#begin}, then
 * started, refused, wait until the next poll (or the deadline), or timed out (the promotion is then cancelled). It
 * keeps no state: the embedding driver persists the promotion's id and the deadline and calls {@link #check} at
 * each advance. Every call is bounded (two short transactions at most).
 */
public final class GateWait {

    /** How often a waiting promotion asks its gates again unless woken earlier. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(15);

    /** What one look found; {@code evaluation} has every gate's verdict (null after a timeout's cancel failed). */
    public sealed interface Result {
        Evaluation evaluation();
    }

    /** Every gate passed: the promotion is deploying and holds the deploy lock, if its environment has one. */
    public record Started(Evaluation evaluation) implements Result {}

    /** Some gates wait; look again at {@code until}. {@code why} names the gates and their reasons. */
    public record Waiting(Instant until, String why, Evaluation evaluation) implements Result {}

    /** A gate refused (or waited when waiting was not allowed); the promotion is recorded as refused. */
    public record Refused(String why, Evaluation evaluation) implements Result {}

    /** The deadline passed while gates waited; the promotion is recorded as cancelled. */
    public record TimedOut(String why, Evaluation evaluation) implements Result {}

    private final PromotionEngine engine;
    private final Duration poll;

    public GateWait(PromotionEngine engine, Duration poll) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.poll = poll == null || poll.isNegative() || poll.isZero() ? DEFAULT_POLL : poll;
    }

    /**
     * Asks the gates of promotion {@code promotionId} once.
     *
     * @param timeout how long the caller was willing to wait in all (for the message); {@code deadline} is when
     * @throws IllegalArgumentException when the promotion can no longer start (cancelled or finished meanwhile)
     */
    public Result check(long promotionId, boolean mayWait, String principal, Instant deadline, Duration timeout, Instant now) {
        Attempt attempt = engine.begin(promotionId, mayWait, principal);
        Evaluation ev = attempt.evaluation();
        return switch (attempt.outcome()) {
            case STARTED -> new Started(ev);
            case REFUSED -> new Refused(refusal(ev), ev);
            case WAITING -> {
                String gates = ev.waiting().stream().map(GateVerdict::gate).collect(Collectors.joining(", "));
                if (!now.isBefore(deadline)) {
                    String why = "timed out after " + minutes(timeout) + " waiting for: " + gates;
                    engine.cancel(promotionId, principal, why);
                    yield new TimedOut(why, ev);
                }
                Instant next = now.plus(poll);
                yield new Waiting(next.isAfter(deadline) ? deadline : next, "waiting for: " + join(ev.waiting()), ev);
            }
        };
    }

    /** "Promotion 7 of app 1.4.2 (sha256:...) to prod refused:" and one line per gate that did not pass. */
    public static String refusal(Evaluation ev) {
        Promotion p = ev.promotion();
        List<GateVerdict> bad = ev.verdicts().stream().filter(v -> v.verdict() != Verdict.PASS).toList();
        return "Promotion " + p.id() + " of " + p.artifact() + " to " + p.environment() + " refused:"
                + bad.stream().map(v -> "\n  - " + v.gate() + ": " + v.reason()).collect(Collectors.joining());
    }

    /** "N minutes" for whole minutes, else the short form ("45s"). */
    static String minutes(Duration d) {
        return d.toSecondsPart() == 0 && d.toMillisPart() == 0 && d.toMinutes() > 0 ? d.toMinutes() + " minutes" : Durations.human(d);
    }

    private static String join(List<GateVerdict> verdicts) {
        return verdicts.stream().map(GateVerdict::toString).collect(Collectors.joining("; "));
    }
}
