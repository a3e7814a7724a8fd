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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * {@code configureFeatureToggle(key: 'checkout-ab', environment: 'prod', enabled: true, defaultVariant: 'control',
 * rules: [[attribute: 'plan', operator: 'EQUALS', values: ['beta-tester'], variant: 'treatment']],
 * percentage: 30, split: [control: 50, treatment: 50])}: targeting rules and A/B splits from a pipeline. Only the
 * parts given change; the engine reads and checks them ({@code SettingInput}). Each rule binds to a
 * {@link TargetingRuleSpec}; the split's names are variants, so it stays a map (the Snippet Generator takes it as
 * {@code control=50, treatment=50}).
 */
public class ConfigureFeatureToggleStep extends Step {

    private final String key;
    private final String environment;
    private Boolean enabled;
    private String defaultVariant;
    private List<TargetingRuleSpec> rules;
    private Integer percentage;
    private Map<String, Object> split;
    private String reason;

    @DataBoundConstructor
    public ConfigureFeatureToggleStep(String key, String environment) {
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

    public String getDefaultVariant() {
        return defaultVariant;
    }

    @DataBoundSetter
    public void setDefaultVariant(String defaultVariant) {
        this.defaultVariant = Util.fixEmptyAndTrim(defaultVariant);
    }

    public List<TargetingRuleSpec> getRules() {
        return rules;
    }

    @DataBoundSetter
    public void setRules(List<TargetingRuleSpec> rules) {
        this.rules = rules == null ? null : new ArrayList<>(rules);
    }

    public Integer getPercentage() {
        return percentage;
    }

    @DataBoundSetter
    public void setPercentage(Integer percentage) {
        this.percentage = percentage;
    }

    public Map<String, Object> getSplit() {
        return split;
    }

    @DataBoundSetter
    public void setSplit(Map<String, Object> split) {
        this.split = split == null ? null : new LinkedHashMap<>(split);
    }

    /** The split as the Snippet Generator's text box shows it. */
    @Restricted(NoExternalUse.class)
    public String getSplitText() {
        return SnippetForm.keyValueText(split);
    }

    public String getReason() {
        return reason;
    }

    @DataBoundSetter
    public void setReason(String reason) {
        this.reason = Util.fixEmptyAndTrim(reason);
    }

    /** The parts given, as the engine reads them. */
    LinkedHashMap<String, Object> input() {
        LinkedHashMap<String, Object> in = new LinkedHashMap<>();
        if (enabled != null) {
            in.put("enabled", enabled);
        }
        if (defaultVariant != null) {
            in.put("defaultVariant", defaultVariant);
        }
        if (rules != null) {
            List<Object> copy = new ArrayList<>();
            for (TargetingRuleSpec r : rules) {
                copy.add(r.toInput());
            }
            in.put("rules", copy);
        }
        if (percentage != null) {
            in.put("percentage", percentage);
        }
        if (split != null) {
            in.put("split", FeatureToggleStep.fromGroovy(split));
        }
        return in;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, key, environment, input(), reason);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Void> {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final String environment;
        private final LinkedHashMap<String, Object> input;
        private final String reason;

        Execution(
                StepContext context,
                String key,
                String environment,
                LinkedHashMap<String, Object> input,
                String reason) {
            super(context);
            this.key = key;
            this.environment = environment;
            this.input = input;
            this.reason = reason;
        }

        @Override
        protected Void run() throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            if (input.isEmpty()) {
                throw new AbortException(Messages.ConfigureFeatureToggleStep_NothingToChange());
            }
            if (!Jenkins.get().hasPermission(TogglePermissions.MANAGE)) {
                throw new AbortException(Messages.SetFeatureToggleStep_NoPermission(ActingUser.id()));
            }
            String why = reason != null
                    ? reason + " (" + run.getFullDisplayName() + ")"
                    : Messages.SetFeatureToggleStep_DefaultReason(run.getFullDisplayName());
            EnvironmentSetting after;
            try {
                after = ToggleService.get().toggles().configure(ActingUser.id(), key, environment, input, why);
            } catch (IllegalArgumentException e) {
                throw new AbortException(e.getMessage());
            }
            getContext()
                    .get(TaskListener.class)
                    .getLogger()
                    .println(Messages.ConfigureFeatureToggleStep_Done(key, environment, after.toString()));
            return null;
        }
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "configureFeatureToggle";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ConfigureFeatureToggleStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        public ListBoxModel doFillEnabledItems() {
            return SnippetForm.enabledItems();
        }

        /** The Snippet Generator's form: "unchanged" leaves {@code enabled} out; the split comes as text. */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            JSONObject form = SnippetForm.dropBlank(formData, "enabled");
            String split = SnippetForm.take(form, "split");
            ConfigureFeatureToggleStep step = (ConfigureFeatureToggleStep) super.newInstance(req, form);
            step.setSplit(SnippetForm.keyValues(split, true));
            return step;
        }
    }
}
