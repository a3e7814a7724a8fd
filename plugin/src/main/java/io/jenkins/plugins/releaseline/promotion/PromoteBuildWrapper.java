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
import io.jenkins.plugins.releaseline.ReleaseLineStore;
import io.jenkins.plugins.releaseline.engine.drive.DriveLoop;
import io.jenkins.plugins.releaseline.engine.drive.Next;
import io.jenkins.plugins.releaseline.engine.promotion.PromotionDriver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import jenkins.tasks.SimpleBuildWrapper;
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

    /**
     * Requests the promotion and waits for its gates here, on the build's executor thread (a freestyle build may
     * wait there; Pipelines use the {@code promote} step, which waits on {@code Timer}). The build steps then run
     * as the deploy body; {@link RecordOutcome} reports their result to the driver.
     */
    @Override
    public void setUp(
            Context context,
            Run<?, ?> build,
            FilePath workspace,
            Launcher launcher,
            TaskListener listener,
            EnvVars initialEnvironment)
            throws IOException, InterruptedException {
        PromotionSpec spec = new PromotionSpec(
                false, to, artifact, initialEnvironment.expand(version), file, digest, null, null, wait, timeout);
        spec.check(build, true);
        PromotionSpec.Origin origin = new PromotionSpec.Origin(
                build, branch != null ? initialEnvironment.expand(branch) : branchOf(initialEnvironment));
        PromotionDriver driver = PromotionDriver.create(
                ReleaseLineStore.get().store(),
                PromotionService.get().engine(),
                "build-" + UUID.randomUUID(),
                spec.state(origin, digest(workspace, initialEnvironment), true),
                Instant.now());
        String[] report = {null};
        boolean[] announced = {false};
        Next next = DriveLoop.untilBody(
                driver,
                Clock.systemUTC(),
                DriveLoop.THREAD_SLEEPER,
                n -> {
                    PromotionDriver.State st = driver.state();
                    if (!announced[0] && st.promotionId != 0) {
                        announced[0] = PromotionSpec.announce(build, listener, st);
                    }
                    report[0] = PromotionSpec.show(listener, st, report[0]);
                },
                Duration.ofMinutes(5));
        if (Thread.interrupted()) {
            throw new InterruptedException(next.why());
        }
        if (!(next instanceof Next.RunBody body)) {
            throw new AbortException(next.why());
        }
        body.environment().forEach(context::env);
        context.setDisposer(new RecordOutcome(driver.id()));
        listener.getLogger().println(body.why());
    }

    private String digest(FilePath workspace, EnvVars env) throws IOException, InterruptedException {
        if (digest != null) {
            return env.expand(digest);
        }
        if (file == null) {
            throw new AbortException(Messages.PromoteStep_NeedsDigest());
        }
        String value = workspace.child(env.expand(file)).act(new FileSha256());
        if (value == null) {
            throw new AbortException(Messages.PromoteStep_NoFile(file, workspace.getRemote()));
        }
        return value;
    }

    /** Reports the wrapped build steps' result to the driver, which records deployed or failed and frees the lock. */
    static final class RecordOutcome extends Disposer {
        private static final long serialVersionUID = 1L;
        private final String driverId;

        RecordOutcome(String driverId) {
            this.driverId = driverId;
        }

        @Override
        public void tearDown(Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener)
                throws IOException, InterruptedException {
            Result result = build.getResult();
            boolean ok = result == null || result.isBetterOrEqualTo(Result.SUCCESS);
            PromotionDriver driver = PromoteStepExecution.driver(driverId);
            driver.bodyFinished(driver.state().bodyId, ok, ok ? null : "build result " + result);
            Next end = DriveLoop.untilDone(
                    driver,
                    Clock.systemUTC(),
                    DriveLoop.THREAD_SLEEPER,
                    DriveLoop.NO_BODY,
                    n -> {},
                    Duration.ofMinutes(5));
            listener.getLogger().println(end.why());
        }
    }

    @Extension
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
