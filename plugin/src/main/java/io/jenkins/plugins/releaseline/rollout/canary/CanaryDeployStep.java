package io.jenkins.plugins.releaseline.rollout.canary;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * {@code canaryDeploy(plan: '10%/5m, 50%/10m, 100%', router: 'prod-lb', analysis: [...]) { ... }}: a canary
 * rollout with an analysis at every step. With {@code router}, the block deploys the canary version first and
 * the named router moves the traffic; without it, the block is the router: it runs at every step with
 * {@code RELEASE_LINE_CANARY_WEIGHT} set. The arguments are lists and maps as a pipeline writes them (the plan
 * may be text or steps), so they are taken as they come and checked by the engine ({@code CanaryArguments})
 * when the step starts; a bad argument fails the step with a message naming it.
 */
public final class CanaryDeployStep extends Step {

    private final LinkedHashMap<String, Object> arguments;

    CanaryDeployStep(Map<String, Object> arguments) {
        this.arguments = plainMap("canaryDeploy", arguments);
    }

    /** The arguments as given (text, numbers, booleans, lists and maps). */
    @NonNull
    public Map<String, Object> getArguments() {
        return Collections.unmodifiableMap(arguments);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new CanaryDeployExecution(context, arguments);
    }

    /** Copies Groovy values (GStrings, lazy maps) into plain serializable Java values. */
    static Object plain(String where, Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        if (value instanceof List<?> l) {
            ArrayList<Object> out = new ArrayList<>(l.size());
            for (int i = 0; i < l.size(); i++) {
                out.add(plain(where + "[" + (i + 1) + "]", l.get(i)));
            }
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            return plainMap(where, m);
        }
        throw new IllegalArgumentException(where + ": a " + value.getClass().getSimpleName()
                + " is not accepted; use text, numbers, true/false, lists and maps");
    }

    private static LinkedHashMap<String, Object> plainMap(String where, Map<?, ?> m) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = String.valueOf(e.getKey());
            out.put(key, plain(where.equals("canaryDeploy") ? key : where + "." + key, e.getValue()));
        }
        return out;
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "canaryDeploy";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Canary deployment with automated analysis and rollback";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public Step newInstance(Map<String, Object> arguments) {
            return new CanaryDeployStep(arguments);
        }

        @Override
        public Map<String, Object> defineArguments(Step step) {
            return new LinkedHashMap<>(((CanaryDeployStep) step).getArguments());
        }
    }
}
