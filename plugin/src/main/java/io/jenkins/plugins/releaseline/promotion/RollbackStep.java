package io.jenkins.plugins.releaseline.promotion;

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
 * {@code rollbackPromotion(to: 'prod', artifact: 'app', reason: '1.5.0 breaks checkout') { sh "./deploy $RELEASE_LINE_VERSION" }}:
 * re-promotes the digest that ran in the environment before the current one, under the deploy lock, recorded as a
 * rollback. The body deploys what {@code RELEASE_LINE_VERSION} and {@code RELEASE_LINE_DIGEST} name.
 */
public class RollbackStep extends Step {

    private final String to;
    private final String artifact;
    private final String reason;
    private int timeout = PromoteStep.DEFAULT_TIMEOUT_MINUTES;

    @DataBoundConstructor
    public RollbackStep(String to, String artifact, String reason) {
        this.to = Util.fixEmptyAndTrim(to);
        this.artifact = Util.fixEmptyAndTrim(artifact);
        this.reason = Util.fixEmptyAndTrim(reason);
    }

    public String getTo() {
        return to;
    }

    public String getArtifact() {
        return artifact;
    }

    public String getReason() {
        return reason;
    }

    public int getTimeout() {
        return timeout;
    }

    /** Minutes to wait for the deploy lock. */
    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new PromoteStepExecution(
                context, new PromotionSpec(true, to, artifact, null, null, null, null, reason, true, timeout));
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "rollbackPromotion";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RollbackStep_DisplayName();
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
