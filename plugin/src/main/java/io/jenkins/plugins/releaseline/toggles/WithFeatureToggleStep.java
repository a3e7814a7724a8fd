package io.jenkins.plugins.releaseline.toggles;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleEvaluation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import jenkins.util.Timer;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * {@code withFeatureToggle(key: 'new-checkout', environment: 'prod') { ... }}: runs the body only where the toggle
 * is on for the context (or serves {@code variant}, for a STRING toggle), and says in the log when it skips it.
 */
public class WithFeatureToggleStep extends Step {

    private final String key;
    private final String environment;
    private Map<String, Object> context = new LinkedHashMap<>();
    private String variant;

    @DataBoundConstructor
    public WithFeatureToggleStep(String key, String environment) {
        this.key = key;
        this.environment = environment;
    }

    public String getKey() {
        return key;
    }

    public String getEnvironment() {
        return environment;
    }

    public Map<String, Object> getContext() {
        return context;
    }

    @DataBoundSetter
    public void setContext(Map<String, Object> context) {
        this.context = context == null ? new LinkedHashMap<>() : new LinkedHashMap<>(context);
    }

    /** The context as the Snippet Generator's text box shows it. */
    @Restricted(NoExternalUse.class)
    public String getContextText() {
        return SnippetForm.keyValueText(context);
    }

    public String getVariant() {
        return variant;
    }

    @DataBoundSetter
    public void setVariant(String variant) {
        this.variant = Util.fixEmptyAndTrim(variant);
    }

    @Override
    public StepExecution start(StepContext stepContext) {
        return new Execution(stepContext, key, environment, context, variant);
    }

    static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final String environment;
        private final LinkedHashMap<String, Object> context;
        private final String variant;
        /** The toggle was evaluated and the body started or skipped. */
        private boolean decided;

        Execution(
                StepContext stepContext, String key, String environment, Map<String, Object> context, String variant) {
            super(stepContext);
            this.key = key;
            this.environment = environment;
            this.context = new LinkedHashMap<>(context);
            this.variant = variant;
        }

        /** Evaluates on a timer thread: the toggles may have to be loaded from the store first. */
        @Override
        public boolean start() {
            Timer.get().submit(this::evaluateThenRun);
            return false;
        }

        /** A restart before the toggle was evaluated evaluates it then; after that, the body carries on by itself. */
        @Override
        public void onResume() {
            if (!decided) {
                Timer.get().submit(this::evaluateThenRun);
            }
        }

        private synchronized void evaluateThenRun() {
            if (decided) {
                return;
            }
            try {
                TaskListener listener = getContext().get(TaskListener.class);
                ToggleEvaluation e = FeatureToggleStep.evaluate(listener, key, environment, context, Boolean.FALSE);
                boolean run = variant == null ? e.isOn() : Objects.equals(variant, e.variant());
                decided = true;
                getContext().saveState();
                if (!run) {
                    listener.getLogger()
                            .println(Messages.WithFeatureToggleStep_Skipped(key, environment, e.toString()));
                    getContext().onSuccess(null);
                    return;
                }
                getContext()
                        .newBodyInvoker()
                        .withCallback(BodyExecutionCallback.wrap(getContext()))
                        .start();
            } catch (Exception e) {
                decided = true;
                getContext().onFailure(e);
            }
        }
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "withFeatureToggle";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.WithFeatureToggleStep_DisplayName();
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** The Snippet Generator's form: the context comes as text. */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            JSONObject form = JSONObject.fromObject(formData.toString());
            String context = SnippetForm.take(form, "context");
            WithFeatureToggleStep step = (WithFeatureToggleStep) super.newInstance(req, form);
            step.setContext(SnippetForm.keyValues(context, false));
            return step;
        }
    }
}
