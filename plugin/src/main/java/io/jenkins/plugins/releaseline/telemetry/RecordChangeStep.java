package io.jenkins.plugins.releaseline.telemetry;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.telemetry.DeliveryTelemetry;
import java.io.Serial;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code releaseLineRecordChange artifact: 'app', digest: 'sha256:...', committedAt: '2026-03-02T10:15:30+01:00'}:
 * records the commit behind a digest (where its lead time starts) and whether it is a hotfix. Call it before the
 * digest is promoted.
 */
public class RecordChangeStep extends Step {

    private final String artifact;
    private final String digest;
    private final String committedAt;
    private String commit;
    private boolean hotfix;

    @DataBoundConstructor
    public RecordChangeStep(String artifact, String digest, String committedAt) {
        this.artifact = artifact;
        this.digest = digest;
        this.committedAt = committedAt;
    }

    public String getArtifact() {
        return artifact;
    }

    public String getDigest() {
        return digest;
    }

    public String getCommittedAt() {
        return committedAt;
    }

    public String getCommit() {
        return commit;
    }

    @DataBoundSetter
    public void setCommit(String commit) {
        this.commit = commit;
    }

    public boolean isHotfix() {
        return hotfix;
    }

    @DataBoundSetter
    public void setHotfix(boolean hotfix) {
        this.hotfix = hotfix;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Void> {

        @Serial
        private static final long serialVersionUID = 1L;

        private final transient RecordChangeStep step;

        Execution(RecordChangeStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Void run() throws Exception {
            DeliveryTelemetry telemetry = TelemetryService.get().telemetry();
            try {
                telemetry.recordChange(
                        ActingUser.id(),
                        step.artifact,
                        step.digest,
                        step.commit,
                        DeliveryTelemetry.parseCommitTime(step.committedAt),
                        step.hotfix);
            } catch (IllegalArgumentException e) {
                throw new AbortException(e.getMessage());
            }
            getContext()
                    .get(TaskListener.class)
                    .getLogger()
                    .println(Messages.RecordChangeStep_Recorded(
                            step.artifact,
                            step.digest,
                            step.committedAt,
                            step.hotfix ? Messages.RecordChangeStep_Hotfix() : ""));
            return null;
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "releaseLineRecordChange";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RecordChangeStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
