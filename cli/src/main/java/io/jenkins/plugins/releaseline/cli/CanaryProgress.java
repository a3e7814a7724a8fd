package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryEvent;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.engine.rollout.analysis.CanaryAnalysis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drives a canary with {@link CanaryController#advance} until it ends and says what happens as it happens: each
 * step's weight, each analysis verdict with its score and failing metrics, the time left in a pause.
 */
public final class CanaryProgress {

    private final CanaryController controller;
    private final Clock clock;
    private final Consumer<String> say;
    private final Duration poll;
    private final Duration countdownEvery;

    public CanaryProgress(CanaryController controller, Clock clock, Consumer<String> say, Duration poll, Duration countdownEvery) {
        this.controller = controller;
        this.clock = clock;
        this.say = say;
        this.poll = poll;
        this.countdownEvery = countdownEvery;
    }

    /** Runs the rollout {@code id} to its end; returns its final state. */
    public CanaryRollout run(String id, TrafficRouter router, CanaryAnalysis analysis) throws InterruptedException {
        int shown = 0;
        Instant lastCountdown = Instant.MIN;
        while (true) {
            CanaryRollout r = controller.advance(id, router, analysis);
            List<CanaryEvent> events = controller.events(id);
            for (CanaryEvent e : events.subList(Math.min(shown, events.size()), events.size())) {
                say.accept(describe(r, e));
            }
            shown = events.size();
            if (r.state().terminal()) {
                return r;
            }
            Instant now = clock.instant();
            long waitMillis = poll.toMillis();
            if (r.wakeAt() != null && r.state() != CanaryState.PAUSED) {
                Duration left = Duration.between(now, r.wakeAt());
                waitMillis = Math.max(1, Math.min(waitMillis, left.toMillis()));
                if (Duration.between(lastCountdown, now).compareTo(countdownEvery) >= 0 && left.toMillis() >= 1000) {
                    say.accept(String.format("step %d/%d at %d%%: analysis in %s", r.stepIndex() + 1, r.spec().plan().steps().size(),
                            r.intendedWeight(), Durations.human(left)));
                    lastCountdown = now;
                }
            } else if (r.state() == CanaryState.PAUSED && r.pauseExpiresAt() != null
                    && Duration.between(lastCountdown, now).compareTo(countdownEvery) >= 0) {
                say.accept("paused: aborts in " + Durations.human(Duration.between(now, r.pauseExpiresAt())) + " unless resumed");
                lastCountdown = now;
            }
            Thread.sleep(waitMillis);
        }
    }

    static String describe(CanaryRollout r, CanaryEvent e) {
        int steps = r.spec().plan().steps().size();
        return switch (e.kind()) {
            case WEIGHT_SET -> String.format("step %d/%d: canary weight %d%% (%s)", e.stepIndex() + 1, steps, e.weight(), e.message());
            case ANALYSIS -> String.format("analysis: %s, score %s: %s", e.verdict(), e.score(), e.message());
            case ROLLED_BACK, ABORTED -> e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": "
                    + (e.message().contains("; ") ? e.message().substring(0, e.message().indexOf("; ")) : e.message());
            default -> e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + e.message();
        };
    }
}
