package io.jenkins.plugins.releaseline.engine.andon;

import java.time.Instant;

/**
 * One freeze that holds a piece of work back, as a decision names it: enough for a queue tooltip, a step's
 * failure message and the banner.
 *
 * @param key        {@code freeze-12} for a pulled freeze, {@code window:weekend} for a scheduled window
 * @param freezeId   the stored freeze's id, {@code 0} for a window
 * @param windowName the window's name, or {@code null}
 * @param since      when it was pulled, or when the window opened
 * @param until      when it lifts by itself (expiry, window end), or {@code null}
 */
public record Blocker(String key, long freezeId, String windowName, FreezeScope scope, Stops stops, Origin origin,
                      String pulledBy, Instant since, Instant until, String reason, String link) {

    /** One line: {@code freeze-12 (environment:prod) pulled by alice: Payments down}. */
    public String describe() {
        return key + " (" + scope + ") " + (origin == Origin.WINDOW ? "scheduled" : "pulled by " + pulledBy) + ": " + reason;
    }
}
