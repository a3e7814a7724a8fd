package io.jenkins.plugins.releaseline.rollout.bluegreen;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenDriver;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenPlan;
import io.jenkins.plugins.releaseline.engine.rollout.router.TrafficRouter;
import io.jenkins.plugins.releaseline.rollout.router.RouterDefinition;
import io.jenkins.plugins.releaseline.rollout.router.TrafficRouters;
import java.io.Serializable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code blueGreenDeploy(router: 'prod-lb', healthCheck: [url: ..., expect: 200]) { deploy to the idle colour }}:
 * runs the body against the idle colour (RELEASE_LINE_TARGET_COLOR, RELEASE_LINE_TARGET_URL), checks it, switches the
 * router, verifies, and records the rollout; the build shows its timeline.
 */
public class BlueGreenDeployStep extends Step implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String router;
    private String environment;
    private String version;
    private HealthCheckSpec healthCheck = new HealthCheckSpec(null);
    private HealthCheckSpec frontCheck;
    private List<Integer> steps = List.of(100);
    private int stepPauseSeconds;
    private int keepWarmMinutes = 10;

    @DataBoundConstructor
    public BlueGreenDeployStep(String router) {
        this.router = Util.fixEmptyAndTrim(router);
    }

    public String getRouter() {
        return router;
    }

    /** The environment the rollout is recorded under; the router's name when not given. */
    public String getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(String environment) {
        this.environment = Util.fixEmptyAndTrim(environment);
    }

    public String getVersion() {
        return version;
    }

    @DataBoundSetter
    public void setVersion(String version) {
        this.version = Util.fixEmptyAndTrim(version);
    }

    /** {@code [url:, expect:, body:, consecutive:, intervalSeconds:, timeoutSeconds:, deadlineSeconds:]}; see help. */
    public HealthCheckSpec getHealthCheck() {
        return healthCheck;
    }

    @DataBoundSetter
    public void setHealthCheck(HealthCheckSpec healthCheck) {
        this.healthCheck = healthCheck == null ? new HealthCheckSpec(null) : healthCheck;
    }

    /** The same keys as healthCheck, checked through the router's front after the switch (typically body: 'green'). */
    public HealthCheckSpec getFrontCheck() {
        return frontCheck;
    }

    @DataBoundSetter
    public void setFrontCheck(HealthCheckSpec frontCheck) {
        this.frontCheck = frontCheck;
    }

    public List<Integer> getSteps() {
        return steps;
    }

    @DataBoundSetter
    public void setSteps(List<Integer> steps) {
        this.steps = steps == null || steps.isEmpty() ? List.of(100) : new ArrayList<>(steps);
    }

    public int getStepPauseSeconds() {
        return stepPauseSeconds;
    }

    @DataBoundSetter
    public void setStepPauseSeconds(int stepPauseSeconds) {
        this.stepPauseSeconds = stepPauseSeconds;
    }

    public int getKeepWarmMinutes() {
        return keepWarmMinutes;
    }

    @DataBoundSetter
    public void setKeepWarmMinutes(int keepWarmMinutes) {
        this.keepWarmMinutes = keepWarmMinutes;
    }

    String effectiveEnvironment() {
        return environment != null ? environment : router;
    }

    /** What the engine's driver is to do; it checks every value (IllegalArgumentException naming the field). */
    BlueGreenPlan plan(String principal, Map<String, String> targetUrls) {
        return new BlueGreenPlan(
                effectiveEnvironment(),
                version,
                principal,
                true,
                targetUrls,
                healthCheck.toCheck(),
                frontCheck == null ? null : frontCheck.toCheck(),
                steps,
                stepPauseSeconds * 1000L,
                keepWarmMinutes * 60_000L);
    }

    /**
     * The engine's driver of one rollout of this step, created on first use (a repeated create finds the one made
     * before); {@code stopReason}, when set, is handed to it.
     */
    BlueGreenDriver driver(String driverId, String principal, Run<?, ?> run, String stopReason) throws AbortException {
        RouterDefinition def = TrafficRouters.get().router(router);
        if (def == null) {
            throw new AbortException(Messages.BlueGreenDeployStep_UnknownRouter(router));
        }
        TrafficRouter r = def.toRouter(run, null);
        try {
            BlueGreenDriver d = BlueGreenDriver.create(
                    BlueGreenService.store(),
                    BlueGreenService.audit(),
                    Clock.systemUTC(),
                    driverId,
                    r,
                    plan(principal, def.targetUrlMap()));
            if (stopReason != null) {
                d.requestStop(stopReason);
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** What the routing code returned, as the split text the engine reads: {@code "blue=0,green=100"} or a map. */
    static String report(Object result) {
        if (result instanceof Map<?, ?> m) {
            return m.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
        }
        return result == null ? null : result.toString();
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        if (router == null) {
            throw new AbortException(Messages.BlueGreenDeployStep_RouterMissing());
        }
        return new BlueGreenDeployExecution(this, context);
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "blueGreenDeploy";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.BlueGreenDeployStep_DisplayName();
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
