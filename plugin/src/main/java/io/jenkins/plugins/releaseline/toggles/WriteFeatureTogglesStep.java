package io.jenkins.plugins.releaseline.toggles;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.toggles.FeatureToggles;
import io.jenkins.plugins.releaseline.engine.toggles.FlagdExport;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code writeFeatureToggles(environment: 'prod', file: 'deploy/flags.flagd.json')}: writes the environment's flagd
 * export into the workspace on the agent (a temporary file renamed over the target, so a reader never sees half a
 * file), for an application's configuration repository or a mounted volume. Returns the export's ETag.
 */
public class WriteFeatureTogglesStep extends Step {

    private final String environment;
    private final String file;

    @DataBoundConstructor
    public WriteFeatureTogglesStep(String environment, String file) {
        this.environment = environment;
        this.file = file;
    }

    public String getEnvironment() {
        return environment;
    }

    public String getFile() {
        return file;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, environment, file);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<String> {
        private static final long serialVersionUID = 1L;
        private final String environment;
        private final String file;

        Execution(StepContext context, String environment, String file) {
            super(context);
            this.environment = environment;
            this.file = file;
        }

        @Override
        protected String run() throws Exception {
            if (file == null || file.isBlank()) {
                throw new AbortException(Messages.WriteFeatureTogglesStep_NoFile());
            }
            FeatureToggles toggles = ToggleService.get().toggles();
            FlagdExport export;
            try {
                export = FlagdExport.of(toggles.snapshot(), environment);
            } catch (IllegalArgumentException e) {
                throw new AbortException(e.getMessage());
            }
            FilePath workspace = getContext().get(FilePath.class);
            FilePath target = workspace.child(file);
            FilePath folder = target.getParent();
            folder.mkdirs();
            FilePath tmp = folder.createTempFile(".flagd", ".tmp");
            tmp.write(new String(export.json(), StandardCharsets.UTF_8), StandardCharsets.UTF_8.name());
            tmp.renameTo(target);
            getContext()
                    .get(TaskListener.class)
                    .getLogger()
                    .println(Messages.WriteFeatureTogglesStep_Written(environment, target.getRemote(), export.etag()));
            return export.etag();
        }
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "writeFeatureToggles";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.WriteFeatureTogglesStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class);
        }
    }
}
