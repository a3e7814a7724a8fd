package io.jenkins.plugins.releaseline.promotion;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.GateVerdict;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionDriver;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;

/** What a {@code promote} or {@code rollbackPromotion} step, or the freestyle wrapper, asked for: plain values. */
final class PromotionSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    final boolean rollback;
    final String environment;
    final String artifact;
    final String version;
    final String file;
    final String digest;
    final String branch;
    final String reason;
    final boolean waitForGates;
    final int timeoutMinutes;

    PromotionSpec(
            boolean rollback,
            String environment,
            String artifact,
            String version,
            String file,
            String digest,
            String branch,
            String reason,
            boolean waitForGates,
            int timeoutMinutes) {
        this.rollback = rollback;
        this.environment = environment;
        this.artifact = artifact;
        this.version = version;
        this.file = file;
        this.digest = digest;
        this.branch = branch;
        this.reason = reason;
        this.waitForGates = waitForGates;
        this.timeoutMinutes = timeoutMinutes;
    }

    /** Who asks and from where, read from the build in memory (no I/O), kept with the execution. */
    static final class Origin implements Serializable {
        private static final long serialVersionUID = 1L;
        final String requestedBy;
        final String jobPath;
        final String buildLink;
        final String branch;
        final long startMillis = System.currentTimeMillis();

        Origin(Run<?, ?> run, String branch) {
            String root = Jenkins.get().getRootUrl();
            this.requestedBy = ActingUser.starter(run);
            this.jobPath = run.getParent().getFullName();
            this.buildLink = root == null ? run.getUrl() : root + run.getUrl();
            this.branch = branch;
        }
    }

    /** Refuses a request that lacks a field or a permission, before anything is recorded. */
    void check(Run<?, ?> run, boolean hasWorkspace) throws AbortException {
        if (environment == null || artifact == null) {
            throw new AbortException(Messages.PromoteStep_Missing());
        }
        if (!rollback && !run.getParent().hasPermission(PromotionPermissions.PROMOTE)) {
            throw new AbortException(Messages.PromoteStep_NoPermission(
                    Jenkins.getAuthentication2().getName(), run.getParent().getFullName()));
        }
        if (file == null && !rollback && digest == null) {
            throw new AbortException(Messages.PromoteStep_NeedsDigest());
        }
        if (file != null && !hasWorkspace) {
            throw new AbortException(Messages.PromoteStep_NeedsWorkspace());
        }
    }

    /** The driver's document: this request, with what only the build knows (the groups ask the security realm). */
    PromotionDriver.State state(Origin origin, String digestValue, boolean hasBody) {
        String requestedBy = origin.requestedBy;
        Set<String> groups = ActingUser.groups(requestedBy);
        String jobPath = origin.jobPath;
        String buildLink = origin.buildLink;
        String branchName = origin.branch;
        PromotionDriver.State s = new PromotionDriver.State();
        s.rollback = rollback;
        s.environment = environment;
        s.artifact = artifact;
        s.version = version;
        s.digest = digestValue;
        s.branch = branchName;
        s.jobPath = jobPath;
        s.buildLink = buildLink;
        s.requestedBy = requestedBy;
        s.groups = new ArrayList<>(groups);
        s.reason = rollback ? reason : hasBody ? null : Messages.PromoteStep_NoBody();
        s.waitForGates = waitForGates;
        s.timeoutMillis = TimeUnit.MINUTES.toMillis(Math.max(0, timeoutMinutes));
        s.pollMillis = PromoteStepExecution.pollMillis;
        s.deploy = hasBody ? PromotionDriver.Deploy.BODY : PromotionDriver.Deploy.AT_ONCE;
        return s;
    }

    /** Records the requested promotion on the build and prints "Promotion N: app 1.4.2 (sha256:...) to staging". */
    static boolean announce(Run<?, ?> run, TaskListener listener, PromotionDriver.State st) {
        PromotionRunAction.record(run, st.promotionId);
        listener.getLogger()
                .println(Messages.PromoteStep_Requested(
                        String.valueOf(st.promotionId),
                        Artifact.of(st.artifact, st.version, st.digest).toString(),
                        st.environment));
        return true;
    }

    /** Prints the gates' verdicts when they changed since {@code lastReport}; returns the report now shown. */
    static String show(TaskListener listener, PromotionDriver.State st, String lastReport) {
        if (st.promotionId == 0 || st.verdicts.isEmpty()) {
            return lastReport;
        }
        String text = st.verdicts.stream()
                .map(v -> "  " + v.verdict() + "  " + v.gate() + ": " + v.reason())
                .collect(Collectors.joining("\n"));
        if (!text.equals(lastReport)) {
            listener.getLogger()
                    .println(Messages.PromoteStep_Gates(String.valueOf(st.promotionId), st.environment) + "\n" + text);
        }
        return text;
    }

    /** The gates that still wait, by name. */
    static String waiting(PromotionDriver.State st) {
        return st.verdicts.stream()
                .filter(v -> v.verdict() == io.jenkins.plugins.releaseline.engine.promotion.Verdict.WAIT)
                .map(GateVerdict::gate)
                .collect(Collectors.joining(", "));
    }
}
