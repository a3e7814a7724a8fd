package io.jenkins.plugins.releaseline.engine.andon;

import java.time.Instant;
import java.util.List;

/**
 * Everything the Andon page shows, as one JSON document ({@link AndonJson}): the plugin's page and the
 * engine's browser test render the same shape with the same script.
 *
 * @param state    {@code running} or {@code stopped}
 * @param active   freezes and open windows holding work back now, oldest first
 * @param windows  the configured windows with their current or next opening
 * @param history  the latest freezes, active or not, newest first
 * @param scopes   scopes the pull form offers (everything, line job scopes, window scopes, ...)
 */
public record AndonPage(String state, Instant now, List<ActiveView> active, List<WindowView> windows,
                        List<FreezeView> history, List<String> scopes) {

    /** An active freeze or open window. {@code id} is 0 for a window; {@code releasable} is false for it. */
    public record ActiveView(String key, long id, String scope, String stops, String origin, String pulledBy,
                             Instant since, Instant until, String reason, String link, boolean releasable) {}

    public record WindowView(String name, String scope, String stops, String schedule, boolean open,
                             Instant opensAt, Instant closesAt, String reason) {}

    public record FreezeView(long id, String scope, String stops, String origin, String pulledBy, Instant pulledAt,
                             String reason, String link, Instant expiresAt, String status, String releasedBy,
                             Instant endedAt, String releaseNote, String lineBuild) {}
}
