package io.jenkins.plugins.releaseline.engine.promotion;

import java.time.Instant;

/** The deployment holding an environment's deploy lock. */
public record LockHolder(String environment, long promotionId, Artifact artifact, String jobPath, String buildLink,
                         String controllerId, Instant since) {

    public String describe() {
        return "promotion " + promotionId + " of " + artifact + (jobPath == null ? "" : " from " + jobPath);
    }
}
