package io.jenkins.plugins.releaseline.andon;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.andon.AndonApi;
import io.jenkins.plugins.releaseline.engine.andon.Freeze;
import io.jenkins.plugins.releaseline.engine.andon.FreezeConflictException;
import io.jenkins.plugins.releaseline.engine.andon.NotPermittedException;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** {@code releaseAndonCord freeze: 'freeze-12', note: 'fixed by #43'} releases one freeze. */
public final class ReleaseAndonCordStep extends Step {

    private final String freeze;
    private String note;

    @DataBoundConstructor
    public ReleaseAndonCordStep(String freeze) {
        this.freeze = freeze;
    }

    public String getFreeze() {
        return freeze;
    }

    public String getNote() {
        return note;
    }

    @DataBoundSetter
    public void setNote(String note) {
        this.note = Util.fixEmptyAndTrim(note);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Void> {
        private static final long serialVersionUID = 1L;
        private final transient ReleaseAndonCordStep step;

        Execution(StepContext context, ReleaseAndonCordStep step) {
            super(context);
            this.step = step;
        }

        @Override
        protected Void run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            try {
                Freeze f = AndonService.get()
                        .freshBoard()
                        .release(run.getExternalizableId(), AndonApi.freezeId(step.freeze), step.note);
                getContext().get(TaskListener.class).getLogger().println("Andon: released freeze-" + f.id());
                return null;
            } catch (IllegalArgumentException | FreezeConflictException | NotPermittedException e) {
                throw new AbortException(e.getMessage());
            }
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "releaseAndonCord";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ReleaseStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
