package io.jenkins.plugins.releaseline.engine.promotion;

import io.jenkins.plugins.releaseline.engine.store.Inputs;
import java.util.Objects;
import java.util.Set;

/**
 * What a build asks for.
 *
 * @param environment where to
 * @param artifact    what (coordinates and digest)
 * @param branch      the branch the build ran on, checked against the environment's allowed branches; may be null
 * @param jobPath     the job's full name, for freezes and pages; may be null
 * @param buildLink   the build's URL, kept in the ledger; may be null
 * @param requestedBy who started the build (separation of duties bars this person from approving)
 * @param requesterGroups the groups of {@code requestedBy}, checked against the environment's promoters
 */
public record PromotionRequest(String environment, Artifact artifact, String branch, String jobPath, String buildLink,
                               String requestedBy, Set<String> requesterGroups) {

    public PromotionRequest {
        Objects.requireNonNull(artifact, "artifact");
        if (environment == null || environment.isBlank()) {
            throw new IllegalArgumentException("to: must name the environment to promote to");
        }
        if (branch != null) {
            branch = branch.isBlank() ? null : branch.strip();
            if (branch != null) {
                Inputs.rejectControlCharacters("branch", branch, false);
                Inputs.requireLength("branch", branch, 250);
            }
        }
        if (jobPath != null) {
            Inputs.rejectControlCharacters("jobPath", jobPath, false);
            Inputs.requireLength("jobPath", jobPath, 500);
        }
        if (buildLink != null) {
            Inputs.rejectControlCharacters("buildLink", buildLink, false);
            Inputs.requireLength("buildLink", buildLink, 1000);
        }
        requestedBy = Inputs.requirePrincipal(requestedBy);
        requesterGroups = requesterGroups == null ? Set.of() : Set.copyOf(requesterGroups);
    }

    /** A request whose requester's groups are not known (promoters are then matched by user id only). */
    public PromotionRequest(String environment, Artifact artifact, String branch, String jobPath, String buildLink,
                            String requestedBy) {
        this(environment, artifact, branch, jobPath, buildLink, requestedBy, Set.of());
    }

    public Actor requester() {
        return new Actor(requestedBy, requesterGroups);
    }
}
