package io.jenkins.plugins.releaseline.rollout.bluegreen;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenController;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.HealthCheck;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

    /** The switch options, checked by the engine (a bad value throws IllegalArgumentException naming the field). */
    BlueGreenController.SwitchOptions switchOptions(String targetColour) {
        HealthCheck front = frontCheck == null ? null : frontCheck.toHealthCheck(null, targetColour);
        return new BlueGreenController.SwitchOptions(
                steps, Duration.ofSeconds(stepPauseSeconds), Duration.ofMinutes(keepWarmMinutes), front);
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
