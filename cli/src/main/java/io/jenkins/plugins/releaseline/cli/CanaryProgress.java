package io.jenkins.plugins.releaseline.cli;

import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryController;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryEvent;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryRollout;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        if (r.state().towardsStable() && r.wakeAt() != null && next instanceof Next.Wait) {
            // a router that failed to take the canary back to 0%: no analysis is due, the router is tried again
            Duration left = Duration.between(now, r.wakeAt());
            if (left.toMillis() >= 1000) {
                say.accept(String.format("%s: canary still at %d%% on the router as far as known; trying the router again in %s "
                        + "(%d failed attempt(s))", r.state().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                        lastWeight(events), Durations.human(left), r.routerFailures()));
                lastCountdown = now;
            }
        } else if (r.state() == CanaryState.PAUSED && r.pauseExpiresAt() != null) {
            say.accept("paused: aborts in " + Durations.human(Duration.between(now, r.pauseExpiresAt())) + " unless resumed");
            lastCountdown = now;
        } else if (r.state() != CanaryState.PAUSED && r.wakeAt() != null && next instanceof Next.Wait) {
            Duration left = Duration.between(now, r.wakeAt());
            if (left.toMillis() >= 1000) {
                say.accept(String.format(Locale.ROOT, "step %d/%d at %d%%: analysis in %s", r.stepIndex() + 1, r.spec().plan().steps().size(),
                        r.intendedWeight(), Durations.human(left)));
                lastCountdown = now;
            }
        }
    }

    /** The last weight the router confirmed, from the events. */
    private static int lastWeight(List<CanaryEvent> events) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).kind() == CanaryEvent.Kind.WEIGHT_SET) {
                return events.get(i).weight();
            }
        }
        return 0;
    }

    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** Replaces each ISO instant in an engine message (nanoseconds, UTC) by the local time to the second. */
    public static String readableTimes(String message) {
        if (message == null) {
            return "";
        }
        Matcher m = INSTANT.matcher(message);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Instant at = Instant.parse(m.group());
            // a deadline read to the second: the next whole second, never one before it is due
            Instant shown = at.getNano() == 0 ? at : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
            String local = shown.atZone(ZoneId.systemDefault()).format(CLOCK);
            m.appendReplacement(b, Matcher.quoteReplacement(local));
        }
        return m.appendTail(b).toString();
    }

    static String describe(CanaryRollout r, CanaryEvent e) {
        int steps = r.spec().plan().steps().size();
        String message = readableTimes(e.message());
        return switch (e.kind()) {
            case WEIGHT_SET -> String.format("step %d/%d: canary weight %d%% (%s)", e.stepIndex() + 1, steps, e.weight(), message);
            // the controller's text names the verdict and score already ("analysis at step 1 (10%) FAIL, score 0: ...")
            case ANALYSIS -> String.format("analysis: %s%s: %s", e.verdict(), e.score() == null ? "" : ", score " + e.score() + "/100",
                    message.replaceFirst("analysis (at step \\d+ \\(\\d+%\\)) [A-Z]+, score \\d+: ", "$1: "));
            case ROUTER_FAILED -> message.startsWith("router failed") ? message : "router failed: " + message;
            case ROLLED_BACK, ABORTED -> e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": "
                    + (message.contains("; ") ? message.substring(0, message.indexOf("; ")) : message);
            default -> e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + message;
        };
    }
}
