package io.jenkins.plugins.releaseline.toggles;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.toggles.EvaluationError;
import io.jenkins.plugins.releaseline.engine.toggles.EvaluationReason;
import io.jenkins.plugins.releaseline.engine.toggles.ToggleEvaluation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
 * {@code featureToggle(key: 'new-checkout', environment: 'prod', context: [targetingKey: 'user-42', plan: 'pro'])}:
 * the toggle's value for that context, as an application would get it. An unknown toggle or environment answers
 * {@code defaultValue} (false unless given) and says why in the log; a malformed context stops the build.
 */
public class FeatureToggleStep extends Step {

    private final String key;
    private final String environment;
    private Map<String, Object> context = new LinkedHashMap<>();
    private Object defaultValue = Boolean.FALSE;

    @DataBoundConstructor
    public FeatureToggleStep(String key, String environment) {
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

    public Object getDefaultValue() {
        return defaultValue;
    }

    @DataBoundSetter
    public void setDefaultValue(Object defaultValue) {
        this.defaultValue = defaultValue;
    }

    @Override
    public StepExecution start(StepContext stepContext) {
        return new Execution(stepContext, key, environment, context, defaultValue);
    }

    /** Evaluates and logs what was decided; shared with {@link WithFeatureToggleStep}. */
    static ToggleEvaluation evaluate(
            TaskListener listener, String key, String environment, Map<String, Object> context, Object defaultValue)
            throws AbortException {
        ToggleEvaluation e =
                ToggleService.get().toggles().evaluate(key, environment, fromGroovy(context), defaultValue);
        if (e.errorCode() == EvaluationError.INVALID_CONTEXT) {
            throw new AbortException(e.errorMessage());
        }
        if (e.reason() == EvaluationReason.ERROR) {
            listener.getLogger()
                    .println(Messages.FeatureToggleStep_Default(
                            key, environment, e.errorMessage(), String.valueOf(defaultValue)));
        } else {
            listener.getLogger()
                    .println(Messages.FeatureToggleStep_Evaluated(
                            key, environment, String.valueOf(e.value()), e.toString()));
        }
        return e;
    }

    /** Groovy hands over GStrings and BigDecimals; the engine takes text and Double. Anything else it refuses by name. */
    static Map<String, Object> fromGroovy(Map<String, Object> context) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (context != null) {
            context.forEach((k, v) -> out.put(
                    k,
                    v instanceof CharSequence cs && !(v instanceof String)
                            ? cs.toString()
                            : v instanceof java.math.BigDecimal d ? d.doubleValue() : v));
        }
        return out;
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Object> {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final String environment;
        private final LinkedHashMap<String, Object> context;
        private final Object defaultValue;

        Execution(
                StepContext stepContext,
                String key,
                String environment,
                Map<String, Object> context,
                Object defaultValue) {
            super(stepContext);
            this.key = key;
            this.environment = environment;
            this.context = new LinkedHashMap<>(context);
            this.defaultValue = defaultValue;
        }

        @Override
        protected Object run() throws Exception {
            return evaluate(getContext().get(TaskListener.class), key, environment, context, defaultValue)
                    .value();
        }
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "featureToggle";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.FeatureToggleStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        /** The Snippet Generator's form: the context comes as text; a default of true or false is a boolean. */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            JSONObject form = SnippetForm.dropBlank(formData, "defaultValue");
            String context = SnippetForm.take(form, "context");
            String defaultValue = SnippetForm.take(form, "defaultValue");
            FeatureToggleStep step = (FeatureToggleStep) super.newInstance(req, form);
            step.setContext(SnippetForm.keyValues(context, false));
            if (defaultValue != null) {
                String d = defaultValue.trim();
                step.setDefaultValue(d.equals("true") || d.equals("false") ? (Object) Boolean.valueOf(d) : d);
            }
            return step;
        }
    }
}
