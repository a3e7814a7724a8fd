package io.jenkins.plugins.releaseline.engine.promotion;

import java.time.Instant;

/** What runs in an environment: the artifact, since when, who promoted it and from which build. */
public record Deployment(String environment, Artifact artifact, long promotionId, Instant since, String by,
                         String buildLink, String jobPath, boolean rollback) {
}
