package io.jenkins.plugins.releaseline.rollout.lambda;

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
 * {@code lambdaDeploy(function: 'prod-orders', alias: 'live', s3: [bucket:, key:, version:], digest: 'sha256:...',
 * version: '1.4.2', strategy: 'Canary10Percent5Minutes', region: 'eu-west-1', credentialsId: 'aws-prod')}: the
 * promotion gates of the function's environment, then the code update, publish and digest check, the probe,
 * and the rollout on the alias. The arguments are lists and maps as a pipeline writes them, checked by the
 * engine ({@code LambdaDeployArguments}) when the step starts; a bad one fails the step naming it.
 */
public final class LambdaDeployStep extends Step {

    private final LinkedHashMap<String, Object> arguments;

    LambdaDeployStep(Map<String, Object> arguments) {
        this.arguments = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : arguments.entrySet()) {
            this.arguments.put(e.getKey(), plain(e.getKey(), e.getValue()));
        }
    }

    /** Groovy values (GStrings, lazy maps) as plain serializable Java values: text, numbers, booleans, lists, maps. */
    private static Object plain(String where, Object value) {
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
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), plain(where + "." + e.getKey(), e.getValue()));
            }
            return out;
        }
        throw new IllegalArgumentException(where + ": a " + value.getClass().getSimpleName()
                + " is not accepted; use text, numbers, true/false, lists and maps");
    }

    @NonNull
    public Map<String, Object> getArguments() {
        return Collections.unmodifiableMap(arguments);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new LambdaDeployExecution(context, arguments);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "lambdaDeploy";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Deploy an AWS Lambda function through the promotion gates, with a canary on its alias";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public Step newInstance(Map<String, Object> arguments) {
            return new LambdaDeployStep(arguments);
        }

        @Override
        public Map<String, Object> defineArguments(Step step) {
            return new LinkedHashMap<>(((LambdaDeployStep) step).getArguments());
        }
    }
}
