package io.jenkins.plugins.releaseline.toggles;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.releaseline.ActingUser;
import io.jenkins.plugins.releaseline.engine.toggles.EnvironmentSetting;
import java.util.Set;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * {@code setFeatureToggle(key: 'new-checkout', environment: 'prod', enabled: true, percentage: 25)}: turns a
 * toggle on or off in one environment and sets its rollout percentage; audited with the build named.
 */
public class SetFeatureToggleStep extends Step {

    private final String key;
    private final String environment;
    private Boolean enabled;
    private Integer percentage;
    private String reason;

    @DataBoundConstructor
    public SetFeatureToggleStep(String key, String environment) {
        this.key = key;
        this.environment = environment;
    }

    public String getKey() {
        return key;
    }

    public String getEnvironment() {
        return environment;
    }

    public Boolean getEnabled() {
        return enabled;
    }

    @DataBoundSetter
    public void setEnabled(Boolean enabled) {
        this.enabled = enabled;
    }

    public Integer getPercentage() {
        return percentage;
    }

    @DataBoundSetter
    public void setPercentage(Integer percentage) {
        this.percentage = percentage;
    }

    public String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String reason) {
        this.reason = Util.fixEmptyAndTrim(reason);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, key, environment, enabled, percentage, reason);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Void> {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final String environment;
        private final Boolean enabled;
        private final Integer percentage;
        private final String reason;

        Execution(
                StepContext context,
                String key,
                String environment,
                Boolean enabled,
                Integer percentage,
                String reason) {
            super(context);
            this.key = key;
            this.environment = environment;
            this.enabled = enabled;
            this.percentage = percentage;
            this.reason = reason;
        }

        @Override
        protected Void run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            if (enabled == null && percentage == null) {
                throw new AbortException(Messages.SetFeatureToggleStep_NothingToChange());
            }
            if (!Jenkins.get().hasPermission(TogglePermissions.MANAGE)) {
                throw new AbortException(Messages.SetFeatureToggleStep_NoPermission(ActingUser.id()));
            }
            String why = reason != null
                    ? reason + " (" + run.getFullDisplayName() + ")"
                    : Messages.SetFeatureToggleStep_DefaultReason(run.getFullDisplayName());
            EnvironmentSetting after;
            try {
                after = ToggleService.get().toggles().set(ActingUser.id(), key, environment, enabled, percentage, why);
            } catch (IllegalArgumentException e) {
                throw new AbortException(e.getMessage());
            }
            listener.getLogger()
                    .println(Messages.SetFeatureToggleStep_Done(
                            key,
                            environment,
                            after.enabled() ? Messages.TogglesPage_On() : Messages.TogglesPage_Off(),
                            Math.round(after.percentServed("on"))));
            return null;
        }
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "setFeatureToggle";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.SetFeatureToggleStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        public ListBoxModel doFillEnabledItems() {
            return SnippetForm.enabledItems();
        }

        /** The Snippet Generator's form: "unchanged" leaves {@code enabled} out. */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            return super.newInstance(req, SnippetForm.dropBlank(formData, "enabled"));
        }
    }
}
