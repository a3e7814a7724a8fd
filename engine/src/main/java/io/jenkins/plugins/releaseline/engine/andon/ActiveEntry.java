package io.jenkins.plugins.releaseline.engine.andon;

import java.util.List;
import java.util.Set;

/** One active freeze or open window inside a snapshot, with what its checks need precomputed. */
final class ActiveEntry {

    final Blocker blocker;
    final String environment;
    final boolean blocksBuilds;
    final String lineJob;
    final Set<String> overriddenBuilds;
    /** The decision when this is the only freeze that blocks: shared, so a blocked check allocates nothing. */
    final Decision alone;

    ActiveEntry(Blocker blocker, String lineJob, Set<String> overriddenBuilds) {
        this.blocker = blocker;
        this.environment = blocker.scope().environment();
        this.blocksBuilds = blocker.stops() == Stops.ALL_BUILDS;
        this.lineJob = lineJob;
        this.overriddenBuilds = Set.copyOf(overriddenBuilds);
        this.alone = new Decision(List.of(blocker));
    }

    /** Whether this entry holds back the work; its scope's job prefix has been matched by the caller. */
    boolean holds(WorkScope work, WorkKind kind) {
        if (kind == WorkKind.BUILD && !blocksBuilds) {
            return false;
        }
        if (environment != null && !environment.equals(work.environment())) {
            return false;
        }
        if (lineJob != null && lineJob.equals(work.jobPath())) {
            // the line's own builds are how it gets fixed
            return false;
        }
        String build = work.build();
        return build == null || overriddenBuilds.isEmpty() || !overriddenBuilds.contains(build);
    }
}
