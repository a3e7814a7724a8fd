package io.jenkins.plugins.releaseline.engine.andon;

import java.time.Instant;

/**
 * What a person asks for when pulling the cord.
 *
 * @param reason    required free text, stored verbatim (and never interpreted as markup anywhere)
 * @param link      optional {@code http(s)://} address or Jenkins-relative path ({@code /job/x/42/})
 * @param expiresAt optional; must lie in the future
 */
public record PullRequest(FreezeScope scope, Stops stops, String reason, String link, Instant expiresAt) {

    public static PullRequest of(FreezeScope scope, String reason) {
        return new PullRequest(scope, Stops.DEPLOYMENTS, reason, null, null);
    }

    public PullRequest withStops(Stops s) {
        return new PullRequest(scope, s, reason, link, expiresAt);
    }

    public PullRequest withLink(String l) {
        return new PullRequest(scope, stops, reason, l, expiresAt);
    }

    public PullRequest expiringAt(Instant t) {
        return new PullRequest(scope, stops, reason, link, t);
    }
}
