package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryEvent;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Says what a canary does as its driver advances (it hears every {@link Next} of the loop): each step's weight,
 * each analysis verdict with its score and failing metrics, the time left before the next analysis or in a pause.
 */
public final class CanaryProgress implements Consumer<Next> {

    private final CanaryController controller;
    private final String id;
    private final Clock clock;
    private final Consumer<String> say;
    private final Duration countdownEvery;
    private int shown;
    private Instant lastCountdown = Instant.MIN;

    public CanaryProgress(CanaryController controller, String id, Clock clock, Consumer<String> say, Duration countdownEvery) {
        this.controller = controller;
        this.id = id;
        this.clock = clock;
        this.say = say;
        this.countdownEvery = countdownEvery;
    }

    @Override
    public void accept(Next next) {
        CanaryRollout r = controller.find(id).orElse(null);
        if (r == null) {
            return;
        }
        List<CanaryEvent> events = controller.events(id);
        for (CanaryEvent e : events.subList(Math.min(shown, events.size()), events.size())) {
            say.accept(describe(r, e));
        }
        shown = events.size();
        Instant now = clock.instant();
        if (r.state().terminal() || Duration.between(lastCountdown, now).compareTo(countdownEvery) < 0) {
            return;
        }
        if (r.state() == CanaryState.PAUSED && r.pauseExpiresAt() != null) {
            say.accept("paused: aborts in " + Durations.human(Duration.between(now, r.pauseExpiresAt())) + " unless resumed");
            lastCountdown = now;
        } else if (r.state() != CanaryState.PAUSED && r.wakeAt() != null && next instanceof Next.Wait) {
            Duration left = Duration.between(now, r.wakeAt());
            if (left.toMillis() >= 1000) {
                say.accept(String.format("step %d/%d at %d%%: analysis in %s", r.stepIndex() + 1, r.spec().plan().steps().size(),
                        r.intendedWeight(), Durations.human(left)));
                lastCountdown = now;
            }
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
