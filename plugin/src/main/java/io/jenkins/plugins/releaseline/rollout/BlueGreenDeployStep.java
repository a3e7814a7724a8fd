package io.jenkins.plugins.releaseline.rollout;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.releaseline.engine.rollout.BlueGreenController;
import io.jenkins.plugins.releaseline.engine.rollout.HealthCheck;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * {@code blueGreenDeploy(router: 'prod-lb', healthCheck: [url: ..., expect: 200]) { deploy to the idle colour }}:
 * runs the body against the idle colour (RELEASE_LINE_TARGET_COLOR, RELEASE_LINE_TARGET_URL), checks it, switches the
 * router, verifies, and records the rollout; the build shows its timeline.
 */
public class BlueGreenDeployStep extends Step implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String router;
    private String environment;
    private String version;
    private Map<String, Object> healthCheck = new HashMap<>();
    private Map<String, Object> frontCheck;
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
    public Map<String, Object> getHealthCheck() {
        return healthCheck;
    }

    @DataBoundSetter
    public void setHealthCheck(Map<String, Object> healthCheck) {
        this.healthCheck = healthCheck == null ? new HashMap<>() : new HashMap<>(healthCheck);
    }

    /** The same keys as healthCheck, run through the router's front after the switch. */
    public Map<String, Object> getFrontCheck() {
        return frontCheck;
    }

    @DataBoundSetter
    public void setFrontCheck(Map<String, Object> frontCheck) {
        this.frontCheck = frontCheck == null ? null : new HashMap<>(frontCheck);
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
    BlueGreenController.SwitchOptions switchOptions(@CheckForNull String frontUrlDefault, String targetColour) {
        HealthCheck front = null;
        if (frontCheck != null) {
            front = healthCheck(frontCheck, frontUrlDefault, targetColour, null);
        }
        return new BlueGreenController.SwitchOptions(steps, Duration.ofSeconds(stepPauseSeconds), Duration.ofMinutes(keepWarmMinutes), front);
    }

    /**
     * A health check from the step's map. {@code {color}} and {@code {targetUrl}} in the url are replaced; without a url,
     * {@code defaultUrl} is used. The body pattern defaults to {@code defaultBody}.
     */
    static HealthCheck healthCheck(Map<String, Object> m, @CheckForNull String defaultUrl, String colour, @CheckForNull String defaultBody) {
        Object rawUrl = m.get("url");
        String url = rawUrl == null ? defaultUrl : rawUrl.toString();
        if (url == null) {
            throw new IllegalArgumentException("healthCheck.url: give the URL to check, or a targetUrls entry for " + colour + " in the router");
        }
        url = url.replace("{color}", colour).replace("{targetUrl}", defaultUrl == null ? "" : defaultUrl);
        HealthCheck check = HealthCheck.of(url, intOf(m, "expect", 200))
                .withConsecutive(intOf(m, "consecutive", 3))
                .withTiming(Duration.ofSeconds(intOf(m, "intervalSeconds", 1)), Duration.ofSeconds(intOf(m, "timeoutSeconds", 5)),
                        Duration.ofSeconds(intOf(m, "deadlineSeconds", 120)));
        Object body = m.containsKey("body") ? m.get("body") : defaultBody;
        return body == null ? check : check.withBody(body.toString());
    }

    private static int intOf(Map<String, Object> m, String key, int dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("healthCheck." + key + ": '" + v + "' is not a whole number");
        }
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
