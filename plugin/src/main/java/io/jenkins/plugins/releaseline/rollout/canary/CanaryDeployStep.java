package io.jenkins.plugins.releaseline.rollout.canary;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.rollout.canary.CanaryPlan;
import io.jenkins.plugins.releaseline.rollout.analysis.MetricSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code canaryDeploy(plan: '10%/5m, 50%/10m, 100%', router: 'prod-lb', analysis: [...]) { ... }}: a canary
 * rollout with an analysis at every step. With {@code router}, the block deploys the canary version first and
 * the named router moves the traffic; without it, the block is the router: it runs at every weight change with
 * {@code RELEASE_LINE_CANARY_WEIGHT} set. The engine ({@code CanaryArguments}) checks every value when the step
 * starts; a bad one fails the step with a message naming it.
 */
public final class CanaryDeployStep extends Step {

    private final String plan;
    private String router;
    private String stable;
    private String canary;
    private String stableLabel;
    private String canaryLabel;
    private List<MetricSpec> analysis;
    private Integer maxFailedAnalyses;
    private Integer inconclusiveRetries;
    private String retryInterval;
    private String onInconclusive;
    private String analysisDeadline;
    private CanaryPrometheus prometheus;
    private CanaryCloudWatch cloudwatch;
    private CanaryProbes probes;

    @DataBoundConstructor
    public CanaryDeployStep(String plan) {
        this.plan = Util.fixEmptyAndTrim(plan);
    }

    public String getPlan() {
        return plan;
    }

    public String getRouter() {
        return router;
    }

    public String getStable() {
        return stable;
    }

    public String getCanary() {
        return canary;
    }

    public String getStableLabel() {
        return stableLabel;
    }

    public String getCanaryLabel() {
        return canaryLabel;
    }

    public List<MetricSpec> getAnalysis() {
        return analysis;
    }

    public Integer getMaxFailedAnalyses() {
        return maxFailedAnalyses;
    }

    public Integer getInconclusiveRetries() {
        return inconclusiveRetries;
    }

    public String getRetryInterval() {
        return retryInterval;
    }

    public String getOnInconclusive() {
        return onInconclusive;
    }

    public String getAnalysisDeadline() {
        return analysisDeadline;
    }

    public CanaryPrometheus getPrometheus() {
        return prometheus;
    }

    public CanaryCloudWatch getCloudwatch() {
        return cloudwatch;
    }

    public CanaryProbes getProbes() {
        return probes;
    }

    @DataBoundSetter
    public void setRouter(String router) {
        this.router = Util.fixEmptyAndTrim(router);
    }

    @DataBoundSetter
    public void setStable(String stable) {
        this.stable = Util.fixEmptyAndTrim(stable);
    }

    @DataBoundSetter
    public void setCanary(String canary) {
        this.canary = Util.fixEmptyAndTrim(canary);
    }

    @DataBoundSetter
    public void setStableLabel(String label) {
        this.stableLabel = Util.fixEmptyAndTrim(label);
    }

    @DataBoundSetter
    public void setCanaryLabel(String label) {
        this.canaryLabel = Util.fixEmptyAndTrim(label);
    }

    @DataBoundSetter
    public void setAnalysis(List<MetricSpec> analysis) {
        this.analysis = analysis == null || analysis.isEmpty() ? null : new ArrayList<>(analysis);
    }

    @DataBoundSetter
    public void setMaxFailedAnalyses(Integer n) {
        this.maxFailedAnalyses = n;
    }

    @DataBoundSetter
    public void setInconclusiveRetries(Integer n) {
        this.inconclusiveRetries = n;
    }

    @DataBoundSetter
    public void setRetryInterval(String d) {
        this.retryInterval = Util.fixEmptyAndTrim(d);
    }

    @DataBoundSetter
    public void setOnInconclusive(String v) {
        this.onInconclusive = Util.fixEmptyAndTrim(v);
    }

    @DataBoundSetter
    public void setAnalysisDeadline(String d) {
        this.analysisDeadline = Util.fixEmptyAndTrim(d);
    }

    @DataBoundSetter
    public void setPrometheus(CanaryPrometheus prometheus) {
        this.prometheus = prometheus;
    }

    @DataBoundSetter
    public void setCloudwatch(CanaryCloudWatch cloudwatch) {
        this.cloudwatch = cloudwatch;
    }

    @DataBoundSetter
    public void setProbes(CanaryProbes probes) {
        this.probes = probes;
    }

    /** The arguments as the engine's {@code CanaryArguments.parse} reads them (plain serializable values). */
    LinkedHashMap<String, Object> arguments() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        put(m, "plan", plan);
        put(m, "router", router);
        put(m, "stable", stable);
        put(m, "canary", canary);
        put(m, "stableLabel", stableLabel);
        put(m, "canaryLabel", canaryLabel);
        put(m, "analysis", MetricSpec.arguments(analysis));
        put(m, "maxFailedAnalyses", maxFailedAnalyses);
        put(m, "inconclusiveRetries", inconclusiveRetries);
        put(m, "retryInterval", retryInterval);
        put(m, "onInconclusive", onInconclusive);
        put(m, "analysisDeadline", analysisDeadline);
        put(m, "prometheus", prometheus == null ? null : new LinkedHashMap<>(prometheus.toMap()));
        put(m, "cloudwatch", cloudwatch == null ? null : new LinkedHashMap<>(cloudwatch.toMap()));
        if (probes != null) {
            LinkedHashMap<String, Object> p = new LinkedHashMap<>(probes.toMap());
            p.computeIfPresent("count", (k, v) -> v.toString());
            m.put("probes", p);
        }
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new CanaryDeployExecution(context, arguments());
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

        /**
         * Binds the arguments as any step's, after two spellings pipelines use: a plan given as a list of steps
         * ({@code [[weight: 10, pause: '5m'], [weight: 100]]}) becomes its text, and {@code metrics} is read as
         * {@code analysis}.
         */
        @Override
        public Step newInstance(Map<String, Object> arguments) throws Exception {
            Map<String, Object> args = new LinkedHashMap<>(arguments);
            if (args.get("plan") instanceof List<?> steps) {
                List<Map<String, ?>> plain = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) {
                    if (!(steps.get(i) instanceof Map<?, ?> step)) {
                        throw new IllegalArgumentException("plan[" + (i + 1) + "]: " + steps.get(i)
                                + " is not a map such as [weight: 10, pause: '5m']");
                    }
                    Map<String, Object> s = new LinkedHashMap<>();
                    step.forEach((k, v) -> s.put(String.valueOf(k), v instanceof CharSequence cs ? cs.toString() : v));
                    plain.add(s);
                }
                args.put("plan", CanaryPlan.fromStructured(plain).stepsText());
            }
            if (args.containsKey("metrics") && !args.containsKey("analysis")) {
                args.put("analysis", args.remove("metrics"));
            }
            return super.newInstance(args);
        }
    }
}
