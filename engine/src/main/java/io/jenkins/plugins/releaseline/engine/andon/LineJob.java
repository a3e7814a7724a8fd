package io.jenkins.plugins.releaseline.engine.andon;

/**
 * A job marked as "the line" (a multibranch {@code main}, say): its failure pulls a freeze of {@code scope}
 * that names the failing build, and its next success releases it or not, as {@code policy} says.
 */
public record LineJob(String jobPath, FreezeScope scope, Stops stops, ReleasePolicy policy) {

    public LineJob {
        if (jobPath == null || jobPath.isBlank()) {
            throw new IllegalArgumentException("jobPath: a line job needs the job's full name, such as team-a/payments/main");
        }
        jobPath = FreezeScope.normalizeJob("jobPath", jobPath);
        scope = scope == null ? FreezeScope.EVERYTHING : scope;
        stops = stops == null ? Stops.DEPLOYMENTS : stops;
        policy = policy == null ? ReleasePolicy.AUTO_RELEASE : policy;
    }
}
