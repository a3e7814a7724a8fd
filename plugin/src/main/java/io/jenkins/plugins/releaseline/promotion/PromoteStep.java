package io.jenkins.plugins.releaseline.promotion;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code promote(to: 'staging', artifact: 'app', version: '1.4.2', file: 'target/app.jar')}: checks every gate of
 * the environment and records the promotion. With a body, holds the environment's deploy lock while the body deploys
 * and records deployed or failed from its outcome; with {@code wait: true}, waits (across restarts) for soak time,
 * approvals, a freeze and the lock, up to {@code timeout} minutes.
 */
public class PromoteStep extends Step {

    public static final int DEFAULT_TIMEOUT_MINUTES = 24 * 60;

    private final String to;
    private final String artifact;
    private final String version;
    private String file;
    private String digest;
    private String branch;
    private boolean wait;
    private int timeout = DEFAULT_TIMEOUT_MINUTES;

    @DataBoundConstructor
    public PromoteStep(String to, String artifact, String version) {
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

    @CheckForNull
    public String getFile() {
        return file;
    }

    /** A file in the workspace whose SHA-256 is the artifact's digest. */
    @DataBoundSetter
    public void setFile(String file) {
        this.file = Util.fixEmptyAndTrim(file);
    }

    @CheckForNull
    public String getDigest() {
        return digest;
    }

    /** The digest itself ({@code sha256:<64 hex>}, e.g. a container image digest), instead of a file. */
    @DataBoundSetter
    public void setDigest(String digest) {
        this.digest = Util.fixEmptyAndTrim(digest);
    }

    @CheckForNull
    public String getBranch() {
        return branch;
    }

    /** The branch checked against the environment's allowed branches; by default {@code BRANCH_NAME}. */
    @DataBoundSetter
    public void setBranch(String branch) {
        this.branch = Util.fixEmptyAndTrim(branch);
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

    /** Minutes to wait for waiting gates before giving up (with {@code wait: true}). */
    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new PromoteStepExecution(
                context, new PromotionSpec(false, to, artifact, version, file, digest, branch, null, wait, timeout));
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "promote";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.PromoteStep_DisplayName();
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
