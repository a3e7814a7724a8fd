package io.jenkins.plugins.releaseline.promotion;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Util;
import hudson.model.AbstractProject;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildWrapperDescriptor;
import io.jenkins.plugins.releaseline.engine.promotion.Artifact;
import io.jenkins.plugins.releaseline.engine.promotion.Attempt;
import io.jenkins.plugins.releaseline.engine.promotion.Digest;
import io.jenkins.plugins.releaseline.engine.promotion.GateVerdict;
import io.jenkins.plugins.releaseline.engine.promotion.Promotion;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionEngine;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionRequest;
import io.jenkins.plugins.releaseline.engine.promotion.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import jenkins.tasks.SimpleBuildWrapper;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Freestyle: "Promote to environment". The same gates as the {@code promote} step; the build steps run as the
 * deployment, under the environment's deploy lock, and the build's result is recorded as deployed or failed.
 */
public class PromoteBuildWrapper extends SimpleBuildWrapper {

    private final String to;
    private final String artifact;
    private final String version;
    private String file;
    private String digest;
    private String branch;
    private boolean wait;
    private int timeout = PromoteStep.DEFAULT_TIMEOUT_MINUTES;

    @DataBoundConstructor
    public PromoteBuildWrapper(String to, String artifact, String version) {
        this.to = Util.fixEmptyAndTrim(to);
        this.artifact = Util.fixEmptyAndTrim(artifact);
        this.version = Util.fixEmptyAndTrim(version);
    }

    public String getTo() {
        return to;
    }

    public String getArtifact() {
        return artifact;
    }

    public String getVersion() {
        return version;
    }

    public String getFile() {
        return file;
    }

    @DataBoundSetter
    public void setFile(String file) {
        this.file = Util.fixEmptyAndTrim(file);
    }

    public String getDigest() {
        return digest;
    }

    @DataBoundSetter
    public void setDigest(String digest) {
        this.digest = Util.fixEmptyAndTrim(digest);
    }

    public String getBranch() {
        return branch;
    }

    /** The branch checked against the environment's allowed branches; by default the build's own. */
    @DataBoundSetter
    public void setBranch(String branch) {
        this.branch = Util.fixEmptyAndTrim(branch);
    }

    /** {@code BRANCH_NAME}, else the git plugin's local branch, else its remote branch without the remote's name. */
    static String branchOf(EnvVars env) {
        String name = Util.fixEmpty(env.get("BRANCH_NAME"));
        if (name == null) {
            name = Util.fixEmpty(env.get("GIT_LOCAL_BRANCH"));
        }
        if (name == null) {
            String remote = Util.fixEmpty(env.get("GIT_BRANCH"));
            name = remote == null ? null : remote.replaceFirst("^(refs/remotes/)?[^/]+/", "");
        }
        return name;
    }

    public boolean isWait() {
        return wait;
    }

    @DataBoundSetter
    public void setWait(boolean wait) {
        this.wait = wait;
    }

    public int getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    @Override
    public void setUp(
            Context context,
            Run<?, ?> build,
            FilePath workspace,
            Launcher launcher,
            TaskListener listener,
            EnvVars initialEnvironment)
            throws IOException, InterruptedException {
        if (!build.getParent().hasPermission(PromotionPermissions.PROMOTE)) {
            throw new AbortException(Messages.PromoteStep_NoPermission(
                    Jenkins.getAuthentication2().getName(), build.getParent().getFullName()));
        }
        String requestedBy = Starter.of(build);
        String link = Jenkins.get().getRootUrl() == null
                ? build.getUrl()
                : Jenkins.get().getRootUrl() + build.getUrl();
        PromotionEngine engine = PromotionService.get().engine();
        Promotion p;
        try {
            Artifact a =
                    new Artifact(artifact, initialEnvironment.expand(version), digest(workspace, initialEnvironment));
            p = engine.request(new PromotionRequest(
                    to,
                    a,
                    branch != null ? initialEnvironment.expand(branch) : branchOf(initialEnvironment),
                    build.getParent().getFullName(),
                    link,
                    requestedBy,
                    Starter.groups(requestedBy)));
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
        PromotionRunAction.record(build, p.id());
        listener.getLogger()
                .println(Messages.PromoteStep_Requested(
                        String.valueOf(p.id()), p.artifact().toString(), p.environment()));
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(Math.max(0, timeout));
        String last = null;
        try {
            while (true) {
                Attempt attempt = engine.begin(p.id(), wait, requestedBy);
                String text = attempt.evaluation().verdicts().stream()
                        .map(v -> "  " + v.verdict() + "  " + v.gate() + ": " + v.reason())
                        .collect(Collectors.joining("\n"));
                if (!text.equals(last)) {
                    listener.getLogger()
                            .println(Messages.PromoteStep_Gates(String.valueOf(p.id()), p.environment()) + "\n" + text);
                    last = text;
                }
                if (attempt.outcome() == Attempt.Outcome.STARTED) {
                    break;
                }
                if (attempt.outcome() == Attempt.Outcome.REFUSED) {
                    throw new AbortException(Messages.PromoteStep_Refused(
                                    String.valueOf(p.id()), p.artifact().toString(), p.environment())
                            + "\n"
                            + attempt.evaluation().verdicts().stream()
                                    .filter(v -> v.verdict() != Verdict.PASS)
                                    .map(v -> "  - " + v.gate() + ": " + v.reason())
                                    .collect(Collectors.joining("\n")));
                }
                if (System.currentTimeMillis() >= deadline) {
                    String why = Messages.PromoteStep_TimedOut(
                            timeout,
                            attempt.evaluation().waiting().stream()
                                    .map(GateVerdict::gate)
                                    .collect(Collectors.joining(", ")));
                    engine.cancel(p.id(), requestedBy, why);
                    throw new AbortException(why);
                }
                Thread.sleep(
                        Math.min(PromoteStepExecution.pollMillis, Math.max(1, deadline - System.currentTimeMillis())));
            }
        } catch (InterruptedException e) {
            engine.cancel(p.id(), requestedBy, Messages.PromoteStep_Stopped("the build was aborted"));
            throw e;
        }
        context.env("RELEASE_LINE_ENVIRONMENT", p.environment());
        context.env("RELEASE_LINE_ARTIFACT", p.artifact().name());
        context.env("RELEASE_LINE_VERSION", p.artifact().version());
        context.env("RELEASE_LINE_DIGEST", p.artifact().digest().value());
        context.setDisposer(new RecordOutcome(p.id(), requestedBy));
        listener.getLogger().println(Messages.PromoteStep_Deploying(p.artifact().toString(), p.environment()));
    }

    private Digest digest(FilePath workspace, EnvVars env) throws IOException, InterruptedException {
        if (digest != null) {
            return Digest.parse(env.expand(digest));
        }
        if (file == null) {
            throw new AbortException(Messages.PromoteStep_NeedsDigest());
        }
        FilePath f = workspace.child(env.expand(file));
        if (!f.exists()) {
            throw new AbortException(Messages.PromoteStep_NoFile(file, workspace.getRemote()));
        }
        try (InputStream in = f.read()) {
            return Digest.of(in);
        }
    }

    /** Records deployed or failed from the build's result when the wrapped build steps end, and frees the lock. */
    static final class RecordOutcome extends Disposer {
        private static final long serialVersionUID = 1L;
        private final long promotionId;
        private final String principal;

        RecordOutcome(long promotionId, String principal) {
            this.promotionId = promotionId;
            this.principal = principal;
        }

        @Override
        public void tearDown(Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener) {
            Result result = build.getResult();
            boolean ok = result == null || result.isBetterOrEqualTo(Result.SUCCESS);
            Promotion p = PromotionService.get()
                    .engine()
                    .finish(promotionId, ok, principal, ok ? null : "build result " + result);
            listener.getLogger()
                    .println(
                            ok
                                    ? Messages.PromoteStep_Deployed(p.artifact().toString(), p.environment())
                                    : Messages.PromoteStep_Failed(
                                            p.artifact().toString(), p.environment(), String.valueOf(result)));
        }
    }

    @Extension
    @Symbol("promoteToEnvironment")
    public static class DescriptorImpl extends BuildWrapperDescriptor {

        @Override
        public boolean isApplicable(AbstractProject<?, ?> item) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PromoteBuildWrapper_DisplayName();
        }
    }
}
