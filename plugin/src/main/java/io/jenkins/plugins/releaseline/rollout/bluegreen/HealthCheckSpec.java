package io.jenkins.plugins.releaseline.rollout.bluegreen;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import io.jenkins.plugins.releaseline.engine.rollout.bluegreen.BlueGreenPlan;
import java.io.Serializable;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The {@code healthCheck: [url: ..., expect: 200, ...]} argument of {@code blueGreenDeploy}; the engine's
 * {@code HealthCheck} checks every value.
 */
public class HealthCheckSpec extends AbstractDescribableImpl<HealthCheckSpec> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String url;
    private int expect = 200;
    private String body;
    private int consecutive = 3;
    private int intervalSeconds = 1;
    private int timeoutSeconds = 5;
    private int deadlineSeconds = 120;

    @DataBoundConstructor
    public HealthCheckSpec(String url) {
        this.url = Util.fixEmptyAndTrim(url);
    }

    public String getUrl() {
        return url;
    }

    public int getExpect() {
        return expect;
    }

    @DataBoundSetter
    public void setExpect(int expect) {
        this.expect = expect;
    }

    public String getBody() {
        return body;
    }

    /** A regular expression the answer must contain. */
    @DataBoundSetter
    public void setBody(String body) {
        this.body = Util.fixEmpty(body);
    }

    public int getConsecutive() {
        return consecutive;
    }

    @DataBoundSetter
    public void setConsecutive(int consecutive) {
        this.consecutive = consecutive;
    }

    public int getIntervalSeconds() {
        return intervalSeconds;
    }

    @DataBoundSetter
    public void setIntervalSeconds(int intervalSeconds) {
        this.intervalSeconds = intervalSeconds;
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    public int getDeadlineSeconds() {
        return deadlineSeconds;
    }

    @DataBoundSetter
    public void setDeadlineSeconds(int deadlineSeconds) {
        this.deadlineSeconds = deadlineSeconds;
    }

    /** The check as the engine's driver stores it; the driver checks every value when the rollout is created. */
    @NonNull
    BlueGreenPlan.Check toCheck() {
        return new BlueGreenPlan.Check(
                url,
                expect,
                body,
                consecutive,
                intervalSeconds * 1000L,
                timeoutSeconds * 1000L,
                deadlineSeconds * 1000L);
    }

    @Extension
    public static class DescriptorImpl extends Descriptor<HealthCheckSpec> {
        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.HealthCheckSpec_DisplayName();
        }
    }
}
